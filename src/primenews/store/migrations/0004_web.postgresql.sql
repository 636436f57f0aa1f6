-- 0004 (PostgreSQL): the website. A topic per story version, first-party page views (only
-- ever written after a reader's consent), and GIN full-text indexes over articles and story
-- versions. The indexes are on expressions, so PostgreSQL keeps them in sync by itself; the
-- queries in store/web.py repeat these expressions exactly.
ALTER TABLE story_versions ADD COLUMN topic TEXT;
CREATE INDEX story_versions_topic ON story_versions (topic);
-- the website's "has anything changed?" check reads MAX(updated_at) every second or so
CREATE INDEX stories_updated ON stories (updated_at);

CREATE TABLE page_views (
    id {{PK}},
    path TEXT NOT NULL,
    viewed_at {{TS}} NOT NULL
);
CREATE INDEX page_views_path ON page_views (path, viewed_at);

CREATE INDEX articles_search ON articles
    USING GIN (to_tsvector('simple', COALESCE(title, '') || ' ' || text));
-- the headline and every string of the stored page (sentences, quotes, sources)
CREATE INDEX story_versions_search ON story_versions
    USING GIN (jsonb_to_tsvector('simple', page::jsonb, '["string"]'));
