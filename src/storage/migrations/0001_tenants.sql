-- Tenants own every other row; the embedded default has one, "default".
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);

INSERT INTO tenants (id, name, created_at) VALUES ('default', 'Default tenant', '1970-01-01T00:00:00Z');
