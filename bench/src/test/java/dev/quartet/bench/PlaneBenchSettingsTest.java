package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaneBenchSettingsTest {
  @Test
  void defaultsAreThePerfGoalSizes() {
    PlaneBenchSettings d = PlaneBenchSettings.from(Map.of());
    assertEquals(PlaneBenchSettings.defaults(), d);
    assertEquals(List.of(1024, 64 * 1024, 256 * 1024), d.inlineSizes());
    assertEquals(1024 * 1024, d.blobSize());
  }

  @Test
  void readsEveryPropertyWithUnits() {
    PlaneBenchSettings s = PlaneBenchSettings.from(Map.of(
        "quartet.bench.http-clients", "8",
        "quartet.bench.max-outstanding-tasks", "64",
        "quartet.bench.inline-sizes", "512B, 4KiB,256KiB",
        "quartet.bench.blob-size", "2MiB",
        "quartet.bench.startup-timeout", "90s",
        "quartet.bench.max-overload-requests", "100"));
    assertEquals(new PlaneBenchSettings(8, 64, List.of(512, 4096, 262144), 2 * 1024 * 1024, Duration.ofSeconds(90), 100), s);
    assertEquals(Duration.ofMinutes(2), PlaneBenchSettings.from(Map.of("quartet.bench.startup-timeout", "PT2M")).startupTimeout());
  }

  @Test
  void refusesInlineSizesAboveTheThresholdAndBlobSizesAtOrBelowIt() {
    var inline = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.inline-sizes", "257KiB")));
    assertTrue(inline.getMessage().contains("quartet.bench.inline-sizes"), inline.getMessage());
    var blob = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.blob-size", "256KiB")));
    assertTrue(blob.getMessage().contains("quartet.bench.blob-size"), blob.getMessage());
  }

  @Test
  void namesTheMalformedProperty() {
    var clients = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.http-clients", "many")));
    assertTrue(clients.getMessage().contains("quartet.bench.http-clients"), clients.getMessage());
    var zero = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.max-outstanding-tasks", "0")));
    assertTrue(zero.getMessage().contains("max-outstanding-tasks"), zero.getMessage());
    var size = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.blob-size", "1GB")));
    assertTrue(size.getMessage().contains("blob-size"), size.getMessage());
    var time = assertThrows(IllegalArgumentException.class,
        () -> PlaneBenchSettings.from(Map.of("quartet.bench.startup-timeout", "soon")));
    assertTrue(time.getMessage().contains("startup-timeout"), time.getMessage());
  }
}
