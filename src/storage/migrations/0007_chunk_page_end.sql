-- The last page of a chunk: a parent passage may span pages and is cited with
-- its range. 0 for chunks stored before: the same page as `page`.
ALTER TABLE knowledge_chunks ADD COLUMN page_end INTEGER NOT NULL DEFAULT 0;
