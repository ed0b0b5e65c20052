-- PostgreSQL variant of 0004_sessions.sql: seqs and counts are BIGINT (SQLite's INTEGER is 64-bit).
-- Practice sessions and their append-only event log. Events are never updated
-- or deleted; transcript, stage timeline, scores and report are rebuilt from them.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  course_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  persona_id TEXT NOT NULL,
  language TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
  last_seq BIGINT NOT NULL,
  turn_count BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  ended_at TEXT
);

CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id, created_at);

CREATE TABLE session_events (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq BIGINT NOT NULL,
  type TEXT NOT NULL,
  turn_id TEXT,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
);
