package dev.quartet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.TreeMap;

/** The goals of PERF-GOALS.md as checked in at {@code perf-goals.properties}, by key. */
public final class PerfGoals {
  private static final String RESOURCE = "/perf-goals.properties";
  private final Map<String, PerfGoal> goals;

  private PerfGoals(Map<String, PerfGoal> goals) {
    this.goals = Map.copyOf(goals);
  }

  /** The checked-in goals. @throws IllegalStateException when the file is missing or malformed */
  public static PerfGoals load() {
    try (InputStream in = PerfGoals.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("perf-goals.properties is missing from the classpath");
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return parse(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read perf-goals.properties", e);
    }
  }

  static PerfGoals parse(Properties p) {
    Map<String, PerfGoal> goals = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (!name.endsWith(".goal")) {
        continue;
      }
      String key = name.substring(0, name.length() - ".goal".length());
      goals.put(key, new PerfGoal(key, p.getProperty(key + ".scenario", key), p.getProperty(name),
          p.getProperty(key + ".baseline", "none"), ratio(p, key + ".minRatio"), ratio(p, key + ".maxRatio"),
          ratio(p, key + ".maxCommitIntervalPlusBaselineMultiple")));
    }
    return new PerfGoals(goals);
  }

  /** The goal of that key, if there is one. */
  public Optional<PerfGoal> find(String key) {
    return Optional.ofNullable(goals.get(key));
  }

  /** Every goal, by key. */
  public Map<String, PerfGoal> all() {
    return goals;
  }

  private static OptionalDouble ratio(Properties p, String name) {
    String v = p.getProperty(name);
    if (v == null) {
      return OptionalDouble.empty();
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new IllegalStateException("perf-goals.properties: " + name + " must be a positive number, was " + v);
      }
      return OptionalDouble.of(d);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("perf-goals.properties: " + name + " must be a number, was " + v, e);
    }
  }
}
