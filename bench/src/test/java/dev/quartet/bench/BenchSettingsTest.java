package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchSettingsTest {
  private static BenchSettings withRecordSize(int size) {
    return new BenchSettings(Duration.ZERO, Duration.ofSeconds(1), size, Duration.ofMillis(100), Duration.ofSeconds(30));
  }

  @Test
  void producerIsMeasuredAtTheFixedSizesPlusTheRecordSize() {
    assertEquals(List.of(256, 512, 1024, 65536), withRecordSize(1024).producerSizes());
    assertEquals(List.of(256, 512, 1024, 65536, 2000), withRecordSize(2000).producerSizes());
  }

  @Test
  void labelsSizesInWholeKibibytesWhereExact() {
    assertEquals("256B", BenchSettings.sizeLabel(256));
    assertEquals("1KiB", BenchSettings.sizeLabel(1024));
    assertEquals("64KiB", BenchSettings.sizeLabel(65536));
    assertEquals("2000B", BenchSettings.sizeLabel(2000));
    assertEquals("1MiB", BenchSettings.sizeLabel(1024 * 1024));
    assertEquals("1536KiB", BenchSettings.sizeLabel(1536 * 1024));
  }

  @Test
  void refusesSettingsThatCannotBeMeasured() {
    assertThrows(IllegalArgumentException.class, () -> withRecordSize(8));
    assertThrows(IllegalArgumentException.class, () -> withRecordSize(2_000_000));
    assertThrows(IllegalArgumentException.class,
        () -> new BenchSettings(Duration.ofSeconds(-1), Duration.ofSeconds(1), 1024, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThrows(IllegalArgumentException.class,
        () -> new BenchSettings(Duration.ZERO, Duration.ofMillis(10), 1024, Duration.ofMillis(100), Duration.ofSeconds(30)));
  }
}
