-- The evidence index: a projection of the evidence topic, rebuildable by replaying it.
CREATE TABLE evidence_index (
  seq              BIGSERIAL PRIMARY KEY,
  event_id         TEXT        NOT NULL UNIQUE,
  type             TEXT        NOT NULL,
  tenant           TEXT        NOT NULL,
  correlation_id   TEXT,
  execution_id     TEXT,
  producer_plane   TEXT        NOT NULL,
  producer_version TEXT        NOT NULL,
  outcome          TEXT,
  occurred_at      TIMESTAMPTZ NOT NULL,
  source_topic     TEXT        NOT NULL,
  source_partition INT         NOT NULL,
  source_offset    BIGINT      NOT NULL,
  indexed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX evidence_index_occurred_at ON evidence_index (occurred_at);
CREATE INDEX evidence_index_correlation ON evidence_index (correlation_id);
CREATE INDEX evidence_index_execution ON evidence_index (execution_id);
