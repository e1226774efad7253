package dev.quartet.contracts.kafka;

import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test events and the bad bytes a consumer must survive. */
final class Events {
  /** Starts like a single-object encoding (C3 01) but names a fingerprint no Quartet schema has. */
  static final byte[] UNKNOWN_FINGERPRINT =
      {(byte) 0xC3, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, 0x02, 0x61};
  static final byte[] GARBAGE = "this is not an Avro event".getBytes(StandardCharsets.UTF_8);

  private Events() {}

  static EvidenceEvent evidence(String id) {
    return EvidenceEvent.newBuilder().setId(id).setType("task.succeeded").setTenant("default")
        .setCorrelationId("c-" + id).setApprovals(List.of()).setArtifactDigests(Map.of()).setOutcome("succeeded")
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).setProducerPlane(Plane.EXECUTION)
        .setProducerVersion("0.1.0").setAttributes(Map.of()).build();
  }
}
