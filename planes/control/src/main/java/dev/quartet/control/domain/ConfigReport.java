package dev.quartet.control.domain;

import dev.quartet.contracts.ConfigScope;

import java.time.Instant;

/** A worker's ACK or NACK of one config version, as read from the config-acks topic and checked. */
public sealed interface ConfigReport permits ConfigReport.Applied, ConfigReport.Refused {
  /** The reporting worker. */
  String workerId();

  /** The scope of the reported version. */
  ConfigScope scope();

  /** ACK: the worker verified and applied {@code version} with {@code digest}. */
  record Applied(String workerId, ConfigScope scope, long version, String digest, Instant at) implements ConfigReport {
    public Applied {
      checked(workerId, version, digest, at);
    }
  }

  /** NACK: the worker refused {@code version}; {@code reason} is cut to a bounded length by the caller. */
  record Refused(String workerId, ConfigScope scope, long version, String digest, String reason, Instant at) implements ConfigReport {
    public Refused {
      checked(workerId, version, digest, at);
      if (reason == null) {
        throw new IllegalArgumentException("a refusal names its reason");
      }
    }
  }

  private static void checked(String workerId, long version, String digest, Instant at) {
    WorkerRegistration.requireWorkerId(workerId);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, was " + version);
    }
    if (digest == null || digest.length() > 128) {
      throw new IllegalArgumentException("digest is required and at most 128 characters");
    }
    if (at == null) {
      throw new IllegalArgumentException("time of the report is required");
    }
  }
}
