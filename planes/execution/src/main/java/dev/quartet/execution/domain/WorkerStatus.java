package dev.quartet.execution.domain;

/** Where a worker's configuration stands at an instant. */
public enum WorkerStatus {
  /** No verified config applied yet: the worker runs nothing. */
  NO_CONFIG,
  /** A verified config is applied and a valid lease token names it. */
  LEASED,
  /** A verified config is applied but no valid lease: the snapshot's degraded-mode policy rules. */
  DEGRADED,
  /** The applied config has expired and nothing newer is verified: the worker runs nothing (freeze). */
  CONFIG_EXPIRED
}
