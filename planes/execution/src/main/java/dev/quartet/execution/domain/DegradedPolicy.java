package dev.quartet.execution.domain;

/** What a worker does while it holds no valid config lease (spec "Trust and configuration"). */
public enum DegradedPolicy {
  /** Keep admitting work on the cached config, for at most the snapshot's grace. */
  CONTINUE_CACHED("continue-cached"),
  /** Admit no new work; running work may read but must not change anything. */
  READ_ONLY("read-only"),
  /** Admit no new work; running work may finish. */
  STOP_ADMISSION("stop-admission");

  private final String wireName;

  DegradedPolicy(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in config documents and evidence, e.g. {@code continue-cached}. */
  public String wireName() {
    return wireName;
  }

  /** The policy named {@code name} in a config document. @throws IllegalArgumentException for unknown names */
  public static DegradedPolicy fromWireName(String name) {
    for (DegradedPolicy p : values()) {
      if (p.wireName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("must be one of continue-cached, read-only, stop-admission");
  }
}
