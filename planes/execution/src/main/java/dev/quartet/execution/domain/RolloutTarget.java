package dev.quartet.execution.domain;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which workers a config version's staged rollout targets ({@code body.rollout}): a cohort
 * percentage and/or a label selector; a worker is targeted when both hold. The cohort rule is a
 * stable hash of the worker id alone — the first 8 bytes of SHA-256(id), unsigned, modulo 100 —
 * so a worker's bucket never changes between versions: a 10% canary is always the same workers,
 * and widening to 50% keeps them in. Without a rollout section every worker is targeted.
 */
public record RolloutTarget(int cohortPercent, Map<String, String> labels) {
  /** Every worker: no rollout section, or {@code cohort: 100%} without labels. */
  public static final RolloutTarget EVERY_WORKER = new RolloutTarget(100, Map.of());
  private static final Pattern PERCENT = Pattern.compile("(100|[1-9]?[0-9])%");

  /** @throws IllegalArgumentException if the percentage is outside 0..100 */
  public RolloutTarget {
    if (cohortPercent < 0 || cohortPercent > 100) {
      throw new IllegalArgumentException("cohort must be 0..100 percent, was " + cohortPercent);
    }
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /**
   * The target of {@code snapshot}'s rollout section.
   *
   * @throws ConfigDocumentException naming {@code body.rollout…} when the section is malformed
   */
  public static RolloutTarget of(ConfigSnapshot snapshot) {
    Object section = snapshot.body().get("rollout");
    if (section == null) {
      return EVERY_WORKER;
    }
    if (!(section instanceof Map<?, ?> rollout)) {
      throw new ConfigDocumentException("body.rollout", "must be an object");
    }
    int percent = 100;
    Object cohort = rollout.get("cohort");
    if (cohort != null) {
      Matcher m = PERCENT.matcher(cohort instanceof String s ? s : "");
      if (!m.matches()) {
        throw new ConfigDocumentException("body.rollout.cohort", "must be a percentage from 0% to 100%");
      }
      percent = Integer.parseInt(m.group(1));
    }
    Map<String, String> selector = new TreeMap<>();
    Object labels = rollout.get("labels");
    if (labels != null) {
      if (!(labels instanceof Map<?, ?> given)) {
        throw new ConfigDocumentException("body.rollout.labels", "must be an object of worker labels");
      }
      for (Map.Entry<?, ?> e : given.entrySet()) {
        if (!(e.getValue() instanceof String v)) {
          throw new ConfigDocumentException("body.rollout.labels." + e.getKey(), "must be a label value (string)");
        }
        selector.put((String) e.getKey(), v);
      }
    }
    return new RolloutTarget(percent, selector);
  }

  /** The worker's stable cohort bucket, 0..99. */
  public static int bucket(String workerId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(workerId.getBytes(StandardCharsets.UTF_8));
      return (int) Long.remainderUnsigned(ByteBuffer.wrap(hash, 0, Long.BYTES).getLong(), 100);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Why {@code worker} is outside this target, or empty when it is targeted. */
  public Optional<String> excludes(WorkerIdentity worker) {
    for (Map.Entry<String, String> wanted : labels.entrySet()) {
      if (!wanted.getValue().equals(worker.labels().get(wanted.getKey()))) {
        return Optional.of("label " + wanted.getKey() + "=" + wanted.getValue() + " not carried");
      }
    }
    int bucket = bucket(worker.id());
    return bucket < cohortPercent ? Optional.empty()
        : Optional.of("cohort bucket " + bucket + " is outside the " + cohortPercent + "% cohort");
  }
}
