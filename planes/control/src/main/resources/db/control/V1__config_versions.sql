-- Accepted configuration versions: a projection of quartet.config.snapshots, rebuildable from it.
-- The primary key makes "exactly one publish of a version wins" a database fact.
CREATE TABLE config_versions (
  scope        TEXT        NOT NULL,
  version      BIGINT      NOT NULL CHECK (version >= 1),
  digest       TEXT        NOT NULL,
  parent       TEXT        NOT NULL,
  envelope     BYTEA       NOT NULL,
  issued_at    TIMESTAMPTZ,
  expires_at   TIMESTAMPTZ NOT NULL,
  signers      TEXT        NOT NULL,
  published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, version)
);
