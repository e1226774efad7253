package dev.quartet.schemas;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Avro record Quartet writes to a topic as a top-level event. Embedded types (PayloadRef,
 * Approval and the enums) are not events: they evolve through the events that contain them.
 */
public final class EventTypes {

  // A new event must be added here (and released) or EventCodec.standard() cannot encode it.
  private static final List<Class<? extends SpecificRecord>> ALL = List.of(
      ConfigSnapshotPublished.class,
      ConfigApplied.class,
      ConfigRefused.class,
      LeaseTokenIssued.class,
      WorkerRegistered.class,
      WorkerHeartbeat.class,
      TaskSubmitted.class,
      TaskStateChanged.class,
      TaskCancelRequested.class,
      PayloadStored.class,
      PayloadRejected.class,
      PayloadQuarantined.class,
      EvidenceEvent.class,
      EvidenceCheckpoint.class,
      EvidenceGap.class);

  private EventTypes() {}

  /** All event classes, in a stable order. */
  public static List<Class<? extends SpecificRecord>> all() {
    return ALL;
  }
}
