-- Upload slots: one-time permissions to upload one payload through a signed URL. A slot is
-- claimed (claimed_at) while its upload runs and completed (payload_id) once it is stored; a
-- completed slot never takes another upload.
CREATE TABLE upload_slots (
  id               UUID        PRIMARY KEY,
  classification   TEXT        NOT NULL CHECK (classification IN ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED')),
  route            TEXT        NOT NULL,
  tenant           TEXT        CHECK (tenant IS NULL OR tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  expected_sha256  CHAR(64)    CHECK (expected_sha256 IS NULL OR expected_sha256 ~ '^[0-9a-f]{64}$'),
  max_bytes        BIGINT      NOT NULL CHECK (max_bytes >= 0),
  issued_by        TEXT        NOT NULL,
  issued_at        TIMESTAMPTZ NOT NULL,
  expires_at       TIMESTAMPTZ NOT NULL,
  claimed_at       TIMESTAMPTZ,
  payload_id       UUID,
  CHECK (payload_id IS NULL OR claimed_at IS NOT NULL)
);
CREATE INDEX upload_slots_expires_at ON upload_slots (expires_at);
