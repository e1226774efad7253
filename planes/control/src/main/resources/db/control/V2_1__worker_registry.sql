-- The worker registry: a projection of quartet.workers.registrations and quartet.workers.heartbeats,
-- rebuildable from them. Summaries only (never payloads). A heartbeat may be consumed before the
-- worker's registration (two topics, no order between them), so everything but the id and the
-- control plane's own last-seen time may still be unknown.
CREATE TABLE workers (
  id                     TEXT        PRIMARY KEY,
  queue                  TEXT,
  -- Labels as parallel arrays: exact round trip of any key and value, no escaping rules.
  label_keys             TEXT[]      NOT NULL DEFAULT '{}',
  label_values           TEXT[]      NOT NULL DEFAULT '{}',
  capacity               INTEGER,
  reported_state         TEXT,
  task_count             INTEGER,
  applied_config_version BIGINT,
  applied_config_digest  TEXT,
  registered_at          TIMESTAMPTZ,
  -- Worker clock (sentAt) of the newest heartbeat: ordering of redelivered heartbeats.
  last_heartbeat_at      TIMESTAMPTZ,
  -- Control-plane clock when the newest registration or heartbeat was consumed: STALE and LOST
  -- are computed from it, so a worker's skewed clock cannot keep it alive or bury it.
  last_seen_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX workers_queue ON workers (queue);

-- The newest ACK (ConfigApplied) and NACK (ConfigRefused) of each worker per scope, from quartet.config.acks.
CREATE TABLE config_reports (
  worker_id        TEXT        NOT NULL,
  scope            TEXT        NOT NULL,
  applied_version  BIGINT,
  applied_digest   TEXT,
  applied_at       TIMESTAMPTZ,
  refused_version  BIGINT,
  refused_digest   TEXT,
  refused_reason   TEXT,
  refused_at       TIMESTAMPTZ,
  PRIMARY KEY (worker_id, scope)
);
CREATE INDEX config_reports_scope ON config_reports (scope);
