package dev.quartet.control.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenTtlTest {
  private static final Duration DEFAULT = Duration.ofHours(24);
  private static final Duration MAX = Duration.ofDays(30);

  @Test
  void readsShortAndIsoFormsAndFallsBackToTheDefault() {
    assertEquals(Duration.ofSeconds(90), TokenTtl.parse("90s", DEFAULT, MAX));
    assertEquals(Duration.ofMinutes(30), TokenTtl.parse("30m", DEFAULT, MAX));
    assertEquals(Duration.ofHours(24), TokenTtl.parse("24h", DEFAULT, MAX));
    assertEquals(Duration.ofDays(30), TokenTtl.parse("30d", DEFAULT, MAX), "the maximum itself is allowed");
    assertEquals(Duration.ofHours(12), TokenTtl.parse("PT12H", DEFAULT, MAX));
    assertEquals(DEFAULT, TokenTtl.parse(null, DEFAULT, MAX));
    assertEquals(DEFAULT, TokenTtl.parse(" ", DEFAULT, MAX));
  }

  @Test
  void refusesLongerThanTheMaximumZeroNegativeAndMalformed() {
    var tooLong = assertThrows(IllegalArgumentException.class, () -> TokenTtl.parse("31d", DEFAULT, MAX));
    assertTrue(tooLong.getMessage().contains("longer than the maximum"), tooLong.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TokenTtl.parse("PT0S", DEFAULT, MAX));
    assertThrows(IllegalArgumentException.class, () -> TokenTtl.parse("-PT1H", DEFAULT, MAX));
    assertThrows(IllegalArgumentException.class, () -> TokenTtl.parse("0h", DEFAULT, MAX));
    var malformed = assertThrows(IllegalArgumentException.class, () -> TokenTtl.parse("tomorrow", DEFAULT, MAX));
    assertTrue(malformed.getMessage().contains("24h"), "says what a ttl looks like: " + malformed.getMessage());
  }
}
