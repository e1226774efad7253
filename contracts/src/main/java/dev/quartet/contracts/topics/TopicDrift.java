package dev.quartet.contracts.topics;

import java.util.Objects;

/**
 * One setting of an existing topic that differs from the catalog, e.g.
 * {@code topic quartet.tasks.events: partitions expected 12, actual 3}.
 *
 * @param setting {@code partitions}, {@code replication.factor}, or a topic config name such as
 *     {@code retention.ms}
 */
public record TopicDrift(String topic, String setting, String expected, String actual) {
  public TopicDrift {
    Objects.requireNonNull(topic, "TopicDrift: topic");
    Objects.requireNonNull(setting, "TopicDrift: setting");
    Objects.requireNonNull(expected, "TopicDrift: expected");
    Objects.requireNonNull(actual, "TopicDrift: actual");
    if (expected.equals(actual)) {
      throw new IllegalArgumentException("TopicDrift " + topic + " " + setting + ": expected equals actual (" + actual + ")");
    }
  }

  /** One line naming the topic, the setting, the expected and the actual value. */
  public String message() {
    return "topic " + topic + ": " + setting + " expected " + expected + ", actual " + actual;
  }

  @Override
  public String toString() {
    return message();
  }
}
