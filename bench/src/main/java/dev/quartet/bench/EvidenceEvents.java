package dev.quartet.bench;

import dev.quartet.schemas.Approval;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Typical evidence events for benchmarks: a task outcome under a config version, with one
 * approval and one artifact digest, padded with a {@code pad} attribute so that its single-object
 * encoding is exactly the requested size.
 */
public final class EvidenceEvents {
  private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final long ID_HIGH_BITS = 0x5157_4254_0000_0000L;
  private static final int MAX_FIT_ROUNDS = 8;
  /** Bytes the pad attribute adds before its first character: key length, "pad", value length. */
  private static final int PAD_OVERHEAD = 5;

  private final EventCodec codec = EventCodec.standard();
  private final String pad;
  private final int encodedSize;

  private EvidenceEvents(String pad, int encodedSize) {
    this.pad = pad;
    this.encodedSize = encodedSize;
  }

  /**
   * Events whose encoding is exactly {@code recordSize} bytes.
   *
   * @throws IllegalArgumentException when even an unpadded event is larger, or the size cannot be met exactly
   */
  public static EvidenceEvents ofEncodedSize(int recordSize) {
    EventCodec codec = EventCodec.standard();
    int smallest = codec.encode(event(0, Instant.now(), "")).length;
    if (recordSize < smallest) {
      throw new IllegalArgumentException("--record-size " + recordSize + " B is below the smallest typical EvidenceEvent ("
          + smallest + " B)");
    }
    int padLength = recordSize - smallest;
    for (int round = 0; round < MAX_FIT_ROUNDS && padLength >= 0; round++) {
      // The pad's length prefix is a varint: growing the pad can grow the prefix too.
      int size = codec.encode(event(0, Instant.now(), "x".repeat(padLength))).length;
      if (size == recordSize) {
        return new EvidenceEvents("x".repeat(padLength), size);
      }
      padLength += recordSize - size;
    }
    throw new IllegalArgumentException("no EvidenceEvent encodes to exactly " + recordSize + " B; a padded one needs at least "
        + (smallest + PAD_OVERHEAD) + " B");
  }

  /** The size of every encoded event. */
  public int encodedSize() {
    return encodedSize;
  }

  /** Event number {@code i}, occurring now; ids come from a counter so SecureRandom is not what is measured. */
  public EvidenceEvent next(long i) {
    return event(i, Instant.now(), pad);
  }

  /** {@code event} single-object encoded with {@link EventCodec#standard()}. */
  public byte[] encode(EvidenceEvent event) {
    return codec.encode(event);
  }

  private static EvidenceEvent event(long i, Instant now, String pad) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("queue", "default");
    attributes.put("worker", "worker-7");
    if (!pad.isEmpty()) {
      attributes.put("pad", pad);
    }
    return EvidenceEvent.newBuilder()
        .setId(new UUID(ID_HIGH_BITS, i).toString())
        .setType("task.succeeded")
        .setTenant("acme")
        .setCorrelationId(RawRecords.correlationId(i))
        .setExecutionId("task-" + (1000 + i % 1000) + "/1")  // fixed width keeps the size fixed
        .setConfigVersion(42L)
        .setConfigDigest(DIGEST)
        .setApprovals(List.of(Approval.newBuilder().setApprover("bob").setApproved(true).setDecidedAt(now).build()))
        .setArtifactDigests(Map.of("output", DIGEST))
        .setOutcome("succeeded")
        .setOccurredAt(now)
        .setProducerPlane(Plane.EXECUTION)
        .setProducerVersion("0.1.0-SNAPSHOT")
        .setAttributes(attributes)
        .build();
  }
}
