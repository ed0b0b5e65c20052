-- People who log in. Usernames are unique per tenant; passwords are argon2id hashes.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('trainee', 'admin')),
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, username)
);
