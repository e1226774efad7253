package dev.quartet.control.domain;

import dev.quartet.contracts.trust.KeyId;

import java.util.Set;

/** The outcome of checking a snapshot against the trust root and the scope's head. */
public sealed interface PublishDecision {
  /** The snapshot may become the scope's new head; {@code signers} verified it. */
  record Accepted(ConfigSnapshot snapshot, Set<KeyId> signers) implements PublishDecision {}

  /** The snapshot is refused; {@code detail} is safe to show the caller. */
  record Rejected(RejectionReason reason, String detail, ConfigSnapshot snapshot) implements PublishDecision {}
}
