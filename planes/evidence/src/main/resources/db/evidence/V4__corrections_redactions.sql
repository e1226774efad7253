-- Corrections: an event that corrects another names it in its `corrects` field; the index keeps
-- that link so a query shows "corrected by" (both rebuildable from the topic).
ALTER TABLE evidence_index ADD COLUMN corrects TEXT;
CREATE INDEX evidence_index_corrects ON evidence_index (corrects) WHERE corrects IS NOT NULL;

-- Openings of redacted attributes: the event on the log carries only sha256(salt || value); the
-- salt and value are kept here, outside the log, so destroying them (salt and value set to NULL,
-- destroyed_at set) leaves the leaf and every proof intact. NOT a projection: the topic never held
-- these values, so a rebuild must keep this table.
CREATE TABLE redaction_opening (
  event_id     TEXT        NOT NULL,
  attribute    TEXT        NOT NULL,
  commitment   TEXT        NOT NULL,
  salt         BYTEA,
  value        TEXT,
  stored_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  destroyed_at TIMESTAMPTZ,
  PRIMARY KEY (event_id, attribute),
  CHECK ((destroyed_at IS NULL) = (salt IS NOT NULL AND value IS NOT NULL))
);
