-- 0001: sources with health, the fetch log, articles, their URLs and revisions, item errors.
-- Tokens replaced per dialect: {{PK}} (auto-increment primary key), {{TS}} (timestamp).
CREATE TABLE sources (
    id {{PK}},
    kind TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    site_url TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at {{TS}} NOT NULL,
    last_checked_at {{TS}},
    last_success_at {{TS}},
    last_error_at {{TS}},
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_check_at {{TS}},
    etag TEXT,
    last_modified TEXT
);

CREATE TABLE fetch_log (
    id {{PK}},
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    url TEXT NOT NULL,
    started_at {{TS}} NOT NULL,
    duration_ms INTEGER NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX fetch_log_source ON fetch_log (source_id, started_at);

CREATE TABLE articles (
    id {{PK}},
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published_at {{TS}},
    updated_at {{TS}},
    fetched_at {{TS}} NOT NULL,
    language TEXT,
    site_name TEXT,
    lead_image TEXT,
    description TEXT,
    outlet TEXT,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    quality REAL NOT NULL DEFAULT 1,
    extra TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL DEFAULT 1,
    created_at {{TS}} NOT NULL
);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_published_at ON articles (published_at);
CREATE INDEX articles_source ON articles (source_id);

-- every URL an article was seen under (fetched, canonical, feed link), so re-runs skip it
CREATE TABLE article_urls (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_urls_article ON article_urls (article_id);

-- the previous texts of an article whose text changed on a re-fetch
CREATE TABLE article_revisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    replaced_at {{TS}} NOT NULL,
    PRIMARY KEY (article_id, revision)
);

-- items a stage refused or failed on; one row per (source, url, stage, reason), counted
CREATE TABLE item_errors (
    id {{PK}},
    error_key TEXT NOT NULL UNIQUE,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    url TEXT,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    first_seen_at {{TS}} NOT NULL,
    last_seen_at {{TS}} NOT NULL
);
CREATE INDEX item_errors_source ON item_errors (source_id, last_seen_at);
CREATE INDEX item_errors_url ON item_errors (url);
