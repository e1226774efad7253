-- Last sign of life of each plane instance (plane.heartbeat / plane.stopped evidence): a
-- projection of the evidence topic. An instance silent longer than the configured bound gets one
-- evidence.gap event (open_gap_id, silent_since = its last heartbeat then); when it is heard from
-- again an evidence.gap.closed event closes that gap and the columns are cleared.
CREATE TABLE plane_liveness (
  plane        TEXT        NOT NULL,
  producer_id  TEXT        NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  stopped      BOOLEAN     NOT NULL DEFAULT false,
  open_gap_id  TEXT,
  silent_since TIMESTAMPTZ,
  PRIMARY KEY (plane, producer_id),
  CHECK ((open_gap_id IS NULL) = (silent_since IS NULL))
);
CREATE INDEX plane_liveness_watch ON plane_liveness (last_seen_at) WHERE NOT stopped OR open_gap_id IS NOT NULL;
