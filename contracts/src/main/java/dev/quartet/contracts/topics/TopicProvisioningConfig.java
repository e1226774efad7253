package dev.quartet.contracts.topics;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on topic provisioning, so a missing or sick cluster fails start-up instead of hanging it.
 *
 * @param operationTimeout how long one admin call (create, describe topics, describe configs) may take
 * @param metadataWait how long to wait for a just-created topic to become describable; KRaft
 *     brokers learn of new topics asynchronously from the controller
 * @param retryBackoff pause between describe attempts while waiting for that metadata
 */
public record TopicProvisioningConfig(Duration operationTimeout, Duration metadataWait, Duration retryBackoff) {
  /** 30 s per admin call, 30 s for new-topic metadata, 100 ms between attempts. */
  public static final TopicProvisioningConfig DEFAULTS =
      new TopicProvisioningConfig(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(100));

  public TopicProvisioningConfig {
    requirePositive(operationTimeout, "operationTimeout");
    requirePositive(metadataWait, "metadataWait");
    requirePositive(retryBackoff, "retryBackoff");
    if (retryBackoff.compareTo(metadataWait) > 0) {
      throw new IllegalArgumentException("TopicProvisioningConfig: retryBackoff " + retryBackoff
          + " must not exceed metadataWait " + metadataWait);
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, "TopicProvisioningConfig: " + name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("TopicProvisioningConfig: " + name + " must be positive, was " + d);
    }
  }
}
