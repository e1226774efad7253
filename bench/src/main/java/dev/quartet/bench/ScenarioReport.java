package dev.quartet.bench;

import java.util.Map;
import java.util.Optional;

/** One scenario of a run: what it measured, what the JVM spent on it and, for Quartet scenarios, the comparison. */
public record ScenarioReport(String name, BenchScenario.Kind kind, String description, Figure figure,
                             Map<String, Double> metrics, ResourceUsage resources, Optional<Comparison> comparison) {
}
