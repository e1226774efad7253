-- Verdicts on staged rollouts: one row per scope version once it is COMPLETED or HALTED. A version
-- without a row is still baking. Rebuildable: the same verdicts are rollout.completed /
-- rollout.halted evidence events, and the primary key makes each verdict a single fact.
CREATE TABLE config_rollouts (
  scope           TEXT        NOT NULL,
  version         BIGINT      NOT NULL CHECK (version >= 1),
  digest          TEXT        NOT NULL,
  state           TEXT        NOT NULL CHECK (state IN ('COMPLETED', 'HALTED')),
  reason          TEXT        NOT NULL,
  applied         BIGINT      NOT NULL,
  refused         BIGINT      NOT NULL,
  not_in_cohort   BIGINT      NOT NULL,
  decided_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, version)
);
