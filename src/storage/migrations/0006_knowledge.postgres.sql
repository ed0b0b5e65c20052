-- PostgreSQL variant of 0006_knowledge.sql: sizes, pages and offsets are BIGINT.
-- The knowledge base: documents (one row per tenant, collection and name; the
-- version is the content hash), their chunks (parents are what agents read,
-- children what retrieval indexes; terms holds a child's BM25 term counts so
-- the sparse index loads without segmenting again) and ingestion jobs.
CREATE TABLE knowledge_documents (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  format TEXT NOT NULL,
  language TEXT NOT NULL,
  version TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  pages BIGINT NOT NULL,
  route TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, collection, name)
);

CREATE INDEX knowledge_documents_by_version ON knowledge_documents (tenant_id, collection, version);

CREATE TABLE knowledge_chunks (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES knowledge_documents (id),
  parent_id TEXT,
  page BIGINT NOT NULL,
  heading_path TEXT NOT NULL,
  begin_offset BIGINT NOT NULL,
  end_offset BIGINT NOT NULL,
  tokens BIGINT NOT NULL,
  text TEXT NOT NULL,
  terms TEXT
);

CREATE INDEX knowledge_chunks_by_document ON knowledge_chunks (document_id);

CREATE TABLE knowledge_jobs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  collection TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  files TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
