-- 0004 (SQLite): the website. A topic per story version, first-party page views (only ever
-- written after a reader's consent), and FTS5 full-text indexes over articles and story
-- versions, kept in sync by triggers (so every writer of those tables keeps them true).
-- Trigger bodies stay on one line: migrations are split on ";" at line ends.
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

-- articles: an external-content index (the text is not stored twice)
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (rowid, title, text) SELECT id, COALESCE(title, ''), text FROM articles;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, COALESCE(new.title, ''), new.text); END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, COALESCE(old.title, ''), old.text); END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, COALESCE(old.title, ''), old.text); INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, COALESCE(new.title, ''), new.text); END;

-- story versions: the headline and every string of the stored page (sentences, quotes, sources)
CREATE VIRTUAL TABLE story_versions_fts USING fts5(
    headline, body, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO story_versions_fts (rowid, headline, body) SELECT v.id, v.headline, (SELECT group_concat(j.value, ' ') FROM json_tree(v.page) j WHERE j.type = 'text') FROM story_versions v;
CREATE TRIGGER story_versions_fts_insert AFTER INSERT ON story_versions BEGIN INSERT INTO story_versions_fts (rowid, headline, body) VALUES (new.id, new.headline, (SELECT group_concat(j.value, ' ') FROM json_tree(new.page) j WHERE j.type = 'text')); END;
CREATE TRIGGER story_versions_fts_delete AFTER DELETE ON story_versions BEGIN DELETE FROM story_versions_fts WHERE rowid = old.id; END;
