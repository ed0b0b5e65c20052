-- Accounts: token revocation, per-account login lockout and the audit log.
-- token_version is carried by every token; a password change or a deletion
-- bumps it, and tokens of an older version stop working. A deleted user keeps
-- its row (sessions and reports still name it) with deleted_at set, its
-- username freed, and no password.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deleted_at TEXT NOT NULL DEFAULT '';

-- Failed logins per username, whether or not the user exists (a lockout must
-- not tell which usernames do). Removed by a successful login.
CREATE TABLE login_failures (
  tenant_id TEXT NOT NULL,
  username TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,     -- Unix seconds; 0 when not locked
  last_failure_at INTEGER NOT NULL,  -- Unix seconds
  PRIMARY KEY (tenant_id, username)
);

-- Who did what: logins, administrators' changes, secret reads. Never a secret
-- or a password.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  remote TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (tenant_id, at);
