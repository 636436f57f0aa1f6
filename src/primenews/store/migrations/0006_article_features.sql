-- 0006: the clustering features of each article (names, numbers, keyphrases, word count,
-- dateline date), worked out from its text once per feature scheme and read back by every
-- later clustering run instead of being worked out again; dropped with the embeddings when
-- the article's text changes.
CREATE TABLE article_features (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, scheme)
);
