-- The payload index: where each payload's stored bytes are and what they must verify to.
-- A projection: quartet.payloads.events carries every row (PayloadStored + its location header).
CREATE TABLE payloads (
  id               UUID        PRIMARY KEY,
  sha256           CHAR(64)    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size             BIGINT      NOT NULL CHECK (size >= 0),
  classification   TEXT        NOT NULL CHECK (classification IN ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED')),
  route            TEXT        NOT NULL,
  key_id           TEXT,
  record_topic     TEXT,
  record_partition INT,
  record_offset    BIGINT,
  blob_key         TEXT,
  stored_by        TEXT        NOT NULL,
  stored_at        TIMESTAMPTZ NOT NULL,
  indexed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Exactly one location: an inline record or a blob (claim check).
  CHECK ((record_topic IS NOT NULL AND record_partition IS NOT NULL AND record_offset IS NOT NULL AND blob_key IS NULL)
      OR (record_topic IS NULL AND record_partition IS NULL AND record_offset IS NULL AND blob_key IS NOT NULL)),
  -- CONFIDENTIAL and RESTRICTED are encrypted at rest, so they name their key-encryption key.
  CHECK ((classification IN ('CONFIDENTIAL', 'RESTRICTED')) = (key_id IS NOT NULL))
);
CREATE INDEX payloads_sha256 ON payloads (sha256);
CREATE INDEX payloads_blob_key ON payloads (blob_key) WHERE blob_key IS NOT NULL;
