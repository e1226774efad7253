package dev.quartet.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every event type, with fixed values. */
final class SampleEvents {

  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
  static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private SampleEvents() {}

  static List<SpecificRecord> all() {
    return List.of(snapshot(), applied(), refused(), leaseToken(), registered(), heartbeat(),
        submitted(), stateChanged(), cancelRequested(), stored(), rejected(), quarantined(), evidence(), checkpoint(), gap());
  }

  static PayloadRef ref() {
    return PayloadRef.newBuilder().setUri("blob://quartet/ab/cd").setSha256(DIGEST).setSize(1024)
        .setClassification(Classification.CONFIDENTIAL).setEncryptionKeyId("kek-confidential-1").build();
  }

  static ConfigSnapshotPublished snapshot() {
    return ConfigSnapshotPublished.newBuilder().setScope("acme/prod").setVersion(2).setDigest(DIGEST)
        .setParentDigest(DIGEST.replace('9', '8')).setIssuedAt(T0).setExpiresAt(T0.plusSeconds(86400))
        .setEnvelope(ByteBuffer.wrap("{\"payloadType\":\"application/vnd.quartet.config+json\"}"
            .getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  static ConfigApplied applied() {
    return ConfigApplied.newBuilder().setWorkerId("w-1").setScope("acme/prod").setVersion(2)
        .setDigest(DIGEST).setAppliedAt(T0).build();
  }

  static ConfigRefused refused() {
    return ConfigRefused.newBuilder().setWorkerId("w-1").setScope("acme/prod").setVersion(1)
        .setDigest(DIGEST).setReason("rollback: version 1 < applied 2").setRefusedAt(T0).build();
  }

  static LeaseTokenIssued leaseToken() {
    return LeaseTokenIssued.newBuilder().setScope("acme/prod").setHeadVersion(2).setHeadDigest(DIGEST)
        .setIssuedAt(T0).setExpiresAt(T0.plusSeconds(60)).setKeyId(DIGEST)
        .setSignature(ByteBuffer.wrap(new byte[64])).build();
  }

  static WorkerRegistered registered() {
    return WorkerRegistered.newBuilder().setWorkerId("w-1").setQueue("acme/prod/default")
        .setLabels(Map.of("gpu", "true", "zone", "eu-1")).setCapacity(8).setRegisteredAt(T0).build();
  }

  static WorkerHeartbeat heartbeat() {
    return WorkerHeartbeat.newBuilder().setWorkerId("w-1").setState(WorkerState.BUSY).setTaskCount(3)
        .setFull(true).setCapacity(8).setAppliedConfigVersion(2L).setAppliedConfigDigest(DIGEST)
        .setSentAt(T0).build();
  }

  static TaskSubmitted submitted() {
    return TaskSubmitted.newBuilder().setTaskId("t-1").setType("transform").setQueue("acme/prod/default")
        .setInputRef(ref()).setParams(Map.of("op", "uppercase")).setClassification(Classification.CONFIDENTIAL)
        .setEvidenceRequired(true).setIdempotencyKey("idem-1").setSubmittedBy("alice")
        .setLabels(Map.of("gpu", "true")).setSubmittedAt(T0).setCorrelationId("c-1").setReplayOf("t-0")
        .setAttempt(2).setNotBefore(T0).setPinnedConfigVersion(3L)
        .setApprovals(List.of(Approval.newBuilder().setApprover("bob").setApproved(true).setDecidedAt(T0).build()))
        .build();
  }

  static TaskCancelRequested cancelRequested() {
    return TaskCancelRequested.newBuilder().setTaskId("t-1").setRequestedBy("alice").setReason("no longer needed")
        .setRequestedAt(T0).build();
  }

  static TaskStateChanged stateChanged() {
    return TaskStateChanged.newBuilder().setTaskId("t-1").setFrom(TaskState.RUNNING).setTo(TaskState.SUCCEEDED)
        .setWorkerId("w-1").setAttempt(1).setLeaseEpoch(7).setConfigVersion(2).setConfigDigest(DIGEST)
        .setReason(null).setOutputRef(ref()).setOccurredAt(T0).build();
  }

  static PayloadStored stored() {
    return PayloadStored.newBuilder().setRef(ref()).setRoute("default").setInline(false).setStoredBy("alice")
        .setStoredAt(T0).build();
  }

  static PayloadRejected rejected() {
    return PayloadRejected.newBuilder().setRef(null).setRoute("default").setSize(11L << 20)
        .setLimit(10L << 20).setLimitName("route.max-input-bytes").setReason("input over 10 MiB")
        .setRejectedAt(T0).build();
  }

  static PayloadQuarantined quarantined() {
    return PayloadQuarantined.newBuilder().setRef(ref()).setRoute("public-egress")
        .setReason("classification CONFIDENTIAL not allowed on route").setQuarantinedAt(T0).build();
  }

  static EvidenceEvent evidence() {
    return EvidenceEvent.newBuilder().setId("e-1").setType("policy.denied").setTenant("acme")
        .setCorrelationId("c-1").setExecutionId("t-1/1").setConfigVersion(2L).setConfigDigest(DIGEST)
        .setRoute("default").setPolicy("acme/prod/egress")
        .setApprovals(List.of(Approval.newBuilder().setApprover("bob").setApproved(true).setDecidedAt(T0).build()))
        .setArtifactDigests(Map.of("input", DIGEST)).setOutcome("denied").setOccurredAt(T0)
        .setProducerPlane(Plane.EXECUTION).setProducerVersion("0.1.0").setAttributes(Map.of("host", "example.org"))
        .setCorrects("e-0").build();
  }

  static EvidenceCheckpoint checkpoint() {
    return EvidenceCheckpoint.newBuilder().setOrigin("quartet.example/evidence/0").setPartition(0)
        .setTreeSize(42).setRootHash(ByteBuffer.wrap(new byte[32]))
        .setSignedNote("quartet.example/evidence/0\n42\nAAAA\n\n— quartet abcd\n").setPublishedAt(T0).build();
  }

  static EvidenceGap gap() {
    return EvidenceGap.newBuilder().setProducerPlane(Plane.DATA).setProducerId("data-1")
        .setReason("local buffer full").setLostCount(17).setFrom(T0.minusSeconds(30)).setTo(T0)
        .setDetectedAt(T0.plusSeconds(1)).build();
  }

  /** The generated class's own {@code toByteBuffer()}: an encoding independent of the codec. */
  static ByteBuffer avroEncoding(SpecificRecord event) throws ReflectiveOperationException {
    return (ByteBuffer) event.getClass().getMethod("toByteBuffer").invoke(event);
  }
}
