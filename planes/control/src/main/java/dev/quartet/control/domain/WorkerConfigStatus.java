package dev.quartet.control.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one worker stands on a scope's configuration: its newest ACK and newest NACK. A worker of
 * the scope's queues that never reported has neither.
 *
 * @param worker the worker's summary, or null when it reported but is not (or no longer) registered
 * @param applied the newest ACK, or null
 * @param refused the newest NACK, or null
 */
public record WorkerConfigStatus(String workerId, WorkerSummary worker, ConfigReport.Applied applied,
                                 ConfigReport.Refused refused) {
  public WorkerConfigStatus {
    Objects.requireNonNull(workerId, "workerId");
  }

  /** Whether the worker's applied version and digest are the scope's head; false when the scope has none. */
  public boolean onHead(ConfigHead head) {
    return head != null && applied != null && applied.version() == head.version() && applied.digest().equals(head.digest());
  }
}
