-- Projections of the task topics (quartet.tasks.submissions, quartet.tasks.events); Kafka is the
-- system of record and these rows can be rebuilt from it.
CREATE TABLE tasks (
  task_id          text PRIMARY KEY,
  tenant           text,
  queue            text,
  type             text,
  classification   text,
  evidence_required boolean,
  idempotency_key  text,
  submitted_by     text,
  correlation_id   text,
  replay_of        text,
  labels           text,
  params           text,
  input_ref        text,
  input_sha256     text,
  input_size       bigint,
  submission       bytea,
  state            text NOT NULL,
  attempt          integer NOT NULL DEFAULT 1,
  lease_epoch      bigint NOT NULL DEFAULT 0,
  worker_id        text,
  config_version   bigint,
  config_digest    text,
  reason           text,
  output_ref       text,
  output_sha256    text,
  output_size      bigint,
  submitted_at     timestamptz,
  updated_at       timestamptz NOT NULL
);
-- A retried submit with the same key is the same task: one row per tenant and key.
CREATE UNIQUE INDEX tasks_idempotency ON tasks (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_by_queue_state ON tasks (queue, state, updated_at DESC);

-- Every transition as read from quartet.tasks.events; (topic partition, offset) makes a re-read idempotent.
CREATE TABLE task_transitions (
  seq           bigserial PRIMARY KEY,
  task_id       text NOT NULL,
  from_state    text,
  to_state      text NOT NULL,
  worker_id     text,
  attempt       integer NOT NULL,
  lease_epoch   bigint NOT NULL,
  config_version bigint NOT NULL,
  config_digest text NOT NULL,
  reason        text,
  output_ref    text,
  output_sha256 text,
  applied       boolean NOT NULL,
  occurred_at   timestamptz NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL,
  UNIQUE (source_partition, source_offset)
);
CREATE INDEX task_transitions_by_task ON task_transitions (task_id, seq);
