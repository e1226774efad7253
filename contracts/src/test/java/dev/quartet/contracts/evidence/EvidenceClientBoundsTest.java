package dev.quartet.contracts.evidence;

import dev.quartet.contracts.Plane;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvidenceClientBoundsTest {
  @TempDir
  Path dir;

  @Test
  void refusesAnEventOverTheSizeBoundWithoutBufferingOrCountingIt() throws Exception {
    // A real producer that is never asked to send: the bound is checked before any I/O.
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", "127.0.0.1:9"),
        new ByteArraySerializer(), new ByteArraySerializer());
         EvidenceClient client = EvidenceClient.start(producer, new EvidenceClientSettings("events", "gaps", dir.resolve("buffer"),
             1024 * 1024, 10, 2_000, Duration.ofSeconds(1), Duration.ofSeconds(60)),
             new EvidenceSource(Plane.DATA, "data-1", "0.1.0"), Clock.systemUTC())) {
      EvidenceEvent big = event("x".repeat(2_000));
      ExecutionException bestEffort = assertThrows(ExecutionException.class, () -> client.emit(big).get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, bestEffort.getCause());
      ExecutionException required = assertThrows(ExecutionException.class, () -> client.emitRequired(big).get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, required.getCause());
      assertEquals(new EvidenceClientStatus(EvidenceClientState.DIRECT, 0, 0, 0, 0, 0), client.status());
      assertFalse(Files.exists(dir.resolve("buffer")), "no buffer directory for a client that never buffered");
    }
  }

  @Test
  void settingsRefuseUnboundedOrEmptyValues() {
    Path p = dir.resolve("b");
    assertThrows(IllegalArgumentException.class, () -> new EvidenceClientSettings("e", "g", p, 0, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceClientSettings("e", "g", p, 1, 0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceClientSettings("e", "g", p, 1, 1, 1, Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceClientSettings("e", "g", p, 1, 1, 1, Duration.ofSeconds(1), null));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceClientSettings(" ", "g", p, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertEquals(64L * 1024 * 1024, EvidenceClientSettings.defaults(p).maxBufferBytes());
  }

  private static EvidenceEvent event(String note) {
    return EvidenceEvent.newBuilder().setId("big").setType("task.succeeded").setTenant("default")
        .setCorrelationId("c").setApprovals(List.of()).setArtifactDigests(Map.of()).setOutcome("succeeded")
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).setProducerPlane(dev.quartet.schemas.Plane.DATA)
        .setProducerVersion("0.1.0").setAttributes(Map.of("note", note)).build();
  }
}
