package dev.quartet.control.domain;

/** Whether a worker is heard from: a worker that misses heartbeats is first STALE, then LOST. */
public enum WorkerLiveness {
  /** Heard from within the stale bound: its own reported state stands. */
  LIVE,
  /** Silent for at least the stale bound: it may be paused or cut off, and may come back. */
  STALE,
  /** Silent for at least the lost bound: treat it as gone. */
  LOST
}
