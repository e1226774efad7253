package dev.quartet.contracts.evidence;

import dev.quartet.contracts.Plane;

import java.util.Objects;

/**
 * Who emits evidence through an {@link EvidenceClient}: named in every gap it reports.
 *
 * @param plane the producing plane
 * @param producerId the producing instance (a worker id, a host name); stable across restarts where possible
 * @param producerVersion software version of the producer
 */
public record EvidenceSource(Plane plane, String producerId, String producerVersion) {
  public EvidenceSource {
    Objects.requireNonNull(plane, "EvidenceSource: plane");
    if (producerId == null || producerId.isBlank()) {
      throw new IllegalArgumentException("EvidenceSource: producerId must not be blank");
    }
    if (producerVersion == null || producerVersion.isBlank()) {
      throw new IllegalArgumentException("EvidenceSource: producerVersion must not be blank");
    }
  }

  /** The Avro form of {@link #plane()}. */
  public dev.quartet.schemas.Plane avroPlane() {
    return dev.quartet.schemas.Plane.valueOf(plane.name());
  }
}
