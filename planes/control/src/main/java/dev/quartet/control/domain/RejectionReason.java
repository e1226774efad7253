package dev.quartet.control.domain;

/** Why the control plane refused a snapshot; each is recorded as evidence. */
public enum RejectionReason {
  /** The envelope is over the size limit. */
  TOO_LARGE,
  /** Not a DSSE envelope, wrong payloadType, or a malformed document or body. */
  MALFORMED,
  /** No signature by any key of the current trust root (unknown or rotated-out keys). */
  UNKNOWN_KEY,
  /** A signature by a trusted key does not verify. */
  BAD_SIGNATURE,
  /** Fewer valid signatures by distinct trusted keys than the scope's threshold. */
  THRESHOLD_NOT_MET,
  /** The version is not the scope's head + 1. */
  VERSION_NOT_NEXT,
  /** The parent digest is not the head's digest. */
  PARENT_MISMATCH,
  /** The snapshot has expired. */
  EXPIRED,
  /** The snapshot's issuedAt lies in the future. */
  NOT_YET_VALID,
  /** The trust root itself has expired: nothing can be verified against it. */
  TRUST_EXPIRED,
  /** Another publish of the same version won the race. */
  CONFLICT
}
