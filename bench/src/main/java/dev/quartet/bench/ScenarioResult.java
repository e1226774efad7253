package dev.quartet.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one scenario measured: its {@link Figure} and further named metrics (MB/s, percentiles,
 * record counts), in insertion order.
 */
public record ScenarioResult(Figure figure, Map<String, Double> metrics) {
  public ScenarioResult {
    Objects.requireNonNull(figure, "ScenarioResult: figure");
    for (Map.Entry<String, Double> m : metrics.entrySet()) {
      if (m.getValue() == null || !Double.isFinite(m.getValue())) {
        throw new IllegalArgumentException("ScenarioResult: metric " + m.getKey() + " must be finite, was " + m.getValue());
      }
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}
