-- 0005: which stories the pages stage must look at. Every change to a story's reports (an
-- article placed, a merge, a copy mark added or dropped) bumps its change counter; the pages
-- stage records the counter it judged, so a run reads only the stories changed since, through
-- a partial index, instead of every story's members.
ALTER TABLE stories ADD COLUMN changes INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN pages_seen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stories_pages_due ON stories (id) WHERE changes <> pages_seen AND merged_into IS NULL;
