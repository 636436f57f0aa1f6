-- 0002: copies, near-duplicate fingerprints, cached embeddings, stories and their articles.
-- Tokens: {{PK}}, {{TS}}, {{BLOB}} (binary).

-- an article that copies an earlier one (its original): exact, verbatim reprint, or rewrite
CREATE TABLE article_copies (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    original_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    similarity REAL NOT NULL,
    detected_at {{TS}} NOT NULL
);
CREATE INDEX article_copies_original ON article_copies (original_id);

-- MinHash signatures, so the near-duplicate index is rebuilt without re-reading texts
CREATE TABLE article_fingerprints (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    signature {{BLOB}} NOT NULL
);

-- embeddings are computed once per (article, model) and never again
CREATE TABLE embeddings (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector {{BLOB}} NOT NULL,
    created_at {{TS}} NOT NULL,
    PRIMARY KEY (article_id, model)
);

CREATE TABLE stories (
    id {{PK}},
    title TEXT,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL,
    first_published_at {{TS}},
    last_published_at {{TS}},
    article_count INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER REFERENCES stories(id)
);
CREATE INDEX stories_last_published ON stories (last_published_at);

-- one story per article
CREATE TABLE story_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    score REAL,
    assigned_at {{TS}} NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id);
