package dev.quartet.execution.domain;

/** Why a lease token did not extend a worker's config lease. */
public enum LeaseRefusal {
  /** The token could not be read (bad digest, key id or times). */
  MALFORMED,
  /** Not signed by a lease key of the pinned trust root, or the signature does not verify (forged). */
  UNTRUSTED,
  /** The token names another scope than the worker's. */
  WRONG_SCOPE,
  /** The token has expired. */
  EXPIRED,
  /** The token was issued further in the future than the tolerated clock skew. */
  NOT_YET_VALID,
  /** The token names the applied version with a different digest: two heads for one version. */
  CONFLICTING_HEAD,
  /** The token names a version older than the applied one. */
  STALE,
  /** The pinned trust root has expired. */
  TRUST_EXPIRED;

  /** True for refusals that point at tampering or a fork rather than ordinary lag: worth evidence. */
  public boolean suspicious() {
    return this == MALFORMED || this == UNTRUSTED || this == WRONG_SCOPE || this == CONFLICTING_HEAD;
  }
}
