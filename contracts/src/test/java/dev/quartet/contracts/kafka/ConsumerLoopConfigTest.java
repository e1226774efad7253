package dev.quartet.contracts.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsumerLoopConfigTest {

  @Test
  void refusesToConsumeItsOwnDeadLetters() {
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of("quartet.a", "quartet.dlq"),
        "quartet.dlq", Duration.ofMillis(100), 10, Duration.ofSeconds(1)));
  }

  @Test
  void refusesUnboundedOrEmptySettings() {
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of("quartet.a"),
        "quartet.dlq", Duration.ZERO, 10, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of("quartet.a"),
        "quartet.dlq", Duration.ofMillis(100), 0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig(" ", List.of("quartet.a"),
        "quartet.dlq", Duration.ofMillis(100), 10, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of(),
        "quartet.dlq", Duration.ofMillis(100), 10, Duration.ofSeconds(1)));
  }

  @Test
  void loopSettingsOverrideTheCallersClientSettings() {
    var config = new ConsumerLoopConfig("g", List.of("quartet.a"), "quartet.dlq", Duration.ofMillis(100), 7, Duration.ofSeconds(3));
    Map<String, Object> consumer = config.consumerProperties(Map.of("enable.auto.commit", true, "bootstrap.servers", "b:1"));
    assertEquals(false, consumer.get("enable.auto.commit"), "offsets are committed by the loop after handling");
    assertEquals(7, consumer.get("max.poll.records"));
    assertEquals("read_committed", consumer.get("isolation.level"), "aborted transactions are never handled");
    assertEquals("b:1", consumer.get("bootstrap.servers"));
    Map<String, Object> producer = config.producerProperties(Map.of("acks", "1"));
    assertEquals("all", producer.get("acks"), "dead letters are durable");
    assertEquals(3000L, producer.get("max.block.ms"), "a dead-letter send blocks at most the operation timeout");
  }
}
