package dev.quartet.contracts.config;

/** What checking one received snapshot against a pinned trust root and a verified chain decided. */
public sealed interface SnapshotCheck permits SnapshotCheck.Linked, SnapshotCheck.Replayed, SnapshotCheck.Refused {
  /** The snapshot verified and is the next link after the chain's tip. */
  record Linked(ConfigSnapshot snapshot) implements SnapshotCheck {}

  /** The very bytes of the chain's tip again: a redelivery, not news. */
  record Replayed(long version, String digest) implements SnapshotCheck {}

  /**
   * Refused for {@code reason}; {@code version} is the document's (or the record's claim when the
   * document cannot be read), {@code digest} that of the signed bytes (or of the envelope).
   */
  record Refused(long version, String digest, Reason reason, String detail) implements SnapshotCheck {}

  /** Why a snapshot was refused. */
  enum Reason {
    /** Not a readable, canonical config document in a DSSE envelope of the right type, or too large. */
    MALFORMED,
    /** The pinned trust root has expired: nothing can be verified against it. */
    TRUST_EXPIRED,
    /** Signed for another scope than the chain follows. */
    WRONG_SCOPE,
    /** Fewer valid signatures by trusted admin keys than the change needs. */
    UNDER_SIGNED,
    /** Not newer than the verified tip. */
    ROLLBACK,
    /** Skips versions not seen. */
    GAP,
    /** Its parent is not the tip's digest. */
    BROKEN_CHAIN,
    /** Issued in the future beyond the tolerated clock skew. */
    NOT_YET_VALID
  }
}
