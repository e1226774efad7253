package dev.quartet.contracts.evidence;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpeningDeliverySettingsTest {
  @Test
  void retryDelaysDoubleUpToTheCapAndEndWithTheLastAttempt() {
    var s = new OpeningDeliverySettings(10, 5, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(Optional.of(Duration.ofSeconds(1)), s.retryDelayAfter(1));
    assertEquals(Optional.of(Duration.ofSeconds(2)), s.retryDelayAfter(2));
    assertEquals(Optional.of(Duration.ofSeconds(4)), s.retryDelayAfter(3));
    assertEquals(Optional.of(Duration.ofSeconds(5)), s.retryDelayAfter(4), "capped");
    assertEquals(Optional.empty(), s.retryDelayAfter(5), "five attempts made: no sixth");
  }

  @Test
  void manyAttemptsNeverOverflowTheDelay() {
    var s = new OpeningDeliverySettings(1, Integer.MAX_VALUE, Duration.ofDays(1), Duration.ofDays(2));
    assertEquals(Optional.of(Duration.ofDays(2)), s.retryDelayAfter(1_000));
  }

  @Test
  void refusesUnboundedOrOutOfOrderSettings() {
    assertThrows(IllegalArgumentException.class, () -> new OpeningDeliverySettings(0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new OpeningDeliverySettings(1, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new OpeningDeliverySettings(1, 1, Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new OpeningDeliverySettings(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
