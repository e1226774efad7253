package dev.quartet.contracts.evidence;

/**
 * Evidence types and attributes by which planes show they are alive, and by which the evidence
 * plane notices one that went silent.
 */
public final class PlaneLiveness {
  /** Periodic "still here" event of one plane instance. */
  public static final String HEARTBEAT = "plane.heartbeat";
  /** A plane instance stopping on purpose: its silence afterwards is not a gap. */
  public static final String STOPPED = "plane.stopped";
  /** Attribute naming the producing instance ({@link EvidenceSource#producerId()}). */
  public static final String PRODUCER_ID = "producerId";
  /** Attribute carrying the heartbeat interval the instance promised, ISO-8601 duration. */
  public static final String INTERVAL = "interval";

  private PlaneLiveness() {}
}
