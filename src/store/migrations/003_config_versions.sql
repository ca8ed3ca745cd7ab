-- Versions of the mappings files (issue 4). Admins edit drafts; one version is active at a time and every
-- replica loads it. Files are stored exactly as written (file name → YAML text) so an export reproduces them.
CREATE TABLE config_versions (
  id bigserial PRIMARY KEY,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  files jsonb NOT NULL,
  author text NOT NULL,
  comment text NOT NULL DEFAULT '',
  based_on bigint REFERENCES config_versions (id),
  -- Each file's "<version>@<hash7>" when the files parse; null for a draft that does not.
  versions jsonb,
  diff text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  published_by text
);
-- At most one active version: the database refuses a second one whatever the callers do.
CREATE UNIQUE INDEX config_versions_one_active ON config_versions ((true)) WHERE status = 'active';
