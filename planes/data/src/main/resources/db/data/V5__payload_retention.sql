-- Retention: a payload past its config's retention.payloads is retired, not deleted, so a read of
-- it answers "removed by retention" (not a bare "unknown") and the row stays evidence of what was
-- kept and when it went. A retired row is served to nobody and never holds its blob: the blob is
-- removed once no live row references the same content address.
ALTER TABLE payloads
  ADD COLUMN retired_at     TIMESTAMPTZ,
  ADD COLUMN retired_config TEXT,
  ADD CONSTRAINT payloads_retired_shape CHECK ((retired_at IS NULL) = (retired_config IS NULL));
CREATE INDEX payloads_live_stored_at ON payloads (stored_at, id) WHERE retired_at IS NULL;
