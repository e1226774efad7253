-- The append-only evidence log: each partition of quartet.evidence.events is its own RFC 9162
-- Merkle tree. Leaf data is the exact Avro single-object bytes of the record value (as stored in
-- Kafka, not a re-encoding), leaf hash SHA-256(0x00 || value); records dead-lettered as
-- undecodable and non-evidence events are not leaves. Written in the same transaction as the
-- evidence_index row, so index, leaves and tree state never disagree.

-- One row per partition: the tree state to resume from (CompactRange.toBytes: version, size,
-- the roots of the perfect subtrees) and the offset of the last leaf, so a redelivered record
-- (offset <= last_offset) is recognised and never appended twice.
CREATE TABLE log_tree (
  log_partition INT         PRIMARY KEY CHECK (log_partition >= 0),
  tree_size     BIGINT      NOT NULL CHECK (tree_size >= 0),
  last_offset   BIGINT      NOT NULL CHECK (last_offset >= tree_size - 1),
  compact_range BYTEA       NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every leaf: its index in the partition's tree, the Kafka offset it came from, the event id.
-- Proofs read leaf hashes from here (O(n) per proof for now; interior nodes are not stored).
CREATE TABLE log_leaf (
  log_partition INT    NOT NULL,
  leaf_index    BIGINT NOT NULL CHECK (leaf_index >= 0),
  source_offset BIGINT NOT NULL CHECK (source_offset >= leaf_index),
  event_id      TEXT   NOT NULL,
  leaf_hash     BYTEA  NOT NULL CHECK (octet_length(leaf_hash) = 32),
  PRIMARY KEY (log_partition, leaf_index),
  UNIQUE (log_partition, source_offset)
);
CREATE INDEX log_leaf_event ON log_leaf (event_id);

-- Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note), kept forever; published_at is
-- null until the checkpoint is on quartet.evidence.checkpoints, so a failed publish is retried.
CREATE TABLE log_checkpoint (
  log_partition INT         NOT NULL,
  tree_size     BIGINT      NOT NULL CHECK (tree_size > 0),
  origin        TEXT        NOT NULL,
  root_hash     BYTEA       NOT NULL CHECK (octet_length(root_hash) = 32),
  signed_note   TEXT        NOT NULL,
  signed_at     TIMESTAMPTZ NOT NULL,
  published_at  TIMESTAMPTZ,
  PRIMARY KEY (log_partition, tree_size)
);
CREATE INDEX log_checkpoint_unpublished ON log_checkpoint (log_partition, tree_size) WHERE published_at IS NULL;
