package dev.quartet.control.domain;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version's staged rollout as its signed body states it ({@code body.rollout}): which workers
 * apply it (a cohort percentage of workers by a stable hash of their id, and/or labels they must
 * carry — the workers decide that themselves), how long it bakes, and the NACK rate that halts it.
 * Without a rollout section a version targets every worker and bakes for no time.
 *
 * @param maxNackPercent the body's own halt threshold, or null for the control plane's default
 */
public record Rollout(int cohortPercent, Map<String, String> labels, Duration bake, Integer maxNackPercent) {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern PERCENT = Pattern.compile("(100|[1-9]?\\d)%");

  /** @throws IllegalArgumentException if a percentage is outside 0..100 or the bake is negative */
  public Rollout {
    if (cohortPercent < 0 || cohortPercent > 100 || (maxNackPercent != null && (maxNackPercent < 0 || maxNackPercent > 100))) {
      throw new IllegalArgumentException("percentages are 0..100");
    }
    if (bake == null || bake.isNegative()) {
      throw new IllegalArgumentException("bake must be zero or positive");
    }
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /** The rollout of {@code snapshot} (whose body passed the published schema). */
  public static Rollout of(ConfigSnapshot snapshot) {
    if (!(snapshot.body().get("rollout") instanceof Map<?, ?> section)) {
      return new Rollout(100, Map.of(), Duration.ZERO, null);
    }
    Map<String, String> labels = new TreeMap<>();
    if (section.get("labels") instanceof Map<?, ?> given) {
      given.forEach((k, v) -> labels.put((String) k, (String) v));
    }
    return new Rollout(percent(section.get("cohort"), 100), labels,
        section.get("bake") instanceof String b ? duration(b) : Duration.ZERO,
        section.get("maxNackRate") == null ? null : percent(section.get("maxNackRate"), 0));
  }

  /** Whether every worker is targeted. */
  public boolean everyWorker() {
    return cohortPercent == 100 && labels.isEmpty();
  }

  private static int percent(Object text, int absent) {
    if (text == null) {
      return absent;
    }
    Matcher m = PERCENT.matcher(text instanceof String s ? s : "");
    if (!m.matches()) {
      throw new ConfigDocumentException("body.rollout", "percentages must be such as 50%");
    }
    return Integer.parseInt(m.group(1));
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new ConfigDocumentException("body.rollout.bake", "must be a duration such as 500ms, 30s, 10m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
