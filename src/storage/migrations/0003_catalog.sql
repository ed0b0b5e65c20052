-- The training catalogue: courses, their scenarios and personas. Each row keeps
-- the validated JSON document; the columns beside it are what queries filter on.
CREATE TABLE courses (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE scenarios (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);

CREATE TABLE personas (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  course_id TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);

CREATE TABLE scenario_personas (
  tenant_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  persona_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scenario_id, persona_id)
);
