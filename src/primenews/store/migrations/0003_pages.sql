-- 0003: story pages. Every written version of a story's page is kept, with the publish gate's
-- verdicts. Tokens: {{PK}}, {{TS}}.

-- one row per (story, version); two writers racing on a story cannot both write version N
CREATE TABLE story_versions (
    id {{PK}},
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created_at {{TS}} NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    backend TEXT NOT NULL,
    headline TEXT NOT NULL,
    page TEXT NOT NULL,
    article_ids TEXT NOT NULL DEFAULT '[]',
    independent_ids TEXT NOT NULL DEFAULT '[]',
    verdicts TEXT NOT NULL DEFAULT '[]',
    whats_new TEXT,
    UNIQUE (story_id, version)
);
-- the latest (published) version of a story: the UNIQUE index serves "latest of any kind"
CREATE INDEX story_versions_published ON story_versions (story_id, published, version);
-- pages written recently, for feeds and the web front page
CREATE INDEX story_versions_created ON story_versions (created_at);
