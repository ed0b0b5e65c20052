-- PostgreSQL variant of 0007_chunk_page_end.sql: BIGINT like the other page columns.
-- The last page of a chunk: a parent passage may span pages and is cited with
-- its range. 0 for chunks stored before: the same page as `page`.
ALTER TABLE knowledge_chunks ADD COLUMN page_end BIGINT NOT NULL DEFAULT 0;
