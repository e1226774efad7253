package dev.quartet.execution.domain;

/** Why a worker refused a config snapshot; reported in ConfigRefused and recorded as evidence. */
public enum RefusalReason {
  /** Not a DSSE envelope, the wrong payloadType, too large, non-canonical or a malformed document. */
  MALFORMED,
  /** Signed for another scope than the worker's (mix-and-match). */
  WRONG_SCOPE,
  /** Fewer valid signatures by distinct trusted admin keys than the change needs. */
  UNDER_SIGNED,
  /** Not newer than a version the worker already verified, and not a replay of it (rollback). */
  ROLLBACK,
  /** Skips versions the worker has not seen, so its parent chain cannot be verified. */
  GAP,
  /** Its parent is not the digest of the previous version. */
  BROKEN_CHAIN,
  /** It expired before it could be applied (freeze). */
  EXPIRED,
  /** Its issuedAt lies further in the future than the tolerated clock skew. */
  NOT_YET_VALID,
  /** The pinned trust root has expired: nothing can be verified until it is rotated. */
  TRUST_EXPIRED
}
