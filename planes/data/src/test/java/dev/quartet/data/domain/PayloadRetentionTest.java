package dev.quartet.data.domain;

import dev.quartet.contracts.config.ConfigSnapshot;
import dev.quartet.contracts.trust.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");

  @Test
  void readsTheConfigDurationsAndRefusesAnythingElse() {
    assertEquals(Duration.ofDays(30), PayloadRetention.parse("30d").keep());
    assertEquals(Duration.ofDays(400), PayloadRetention.parse("400d").keep());
    assertEquals(Duration.ofHours(12), PayloadRetention.parse("12h").keep());
    assertEquals(Duration.ofMinutes(15), PayloadRetention.parse("15m").keep());
    assertEquals(Duration.ofSeconds(2), PayloadRetention.parse("2s").keep());
    for (String bad : new String[] {"0d", "-1d", "30", "d", "30 d", "1w", "1.5h", "P30D", "030d", "", "1234567890d"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> PayloadRetention.parse(bad), bad);
      assertTrue(e.getMessage().contains("retention.payloads"), e.getMessage());
    }
  }

  @Test
  void aConfigWithoutPayloadRetentionKeepsPayloadsAndAMalformedOneIsNamed() {
    assertEquals(Optional.empty(), PayloadRetention.of(snapshot(Map.of())));
    assertEquals(Optional.empty(), PayloadRetention.of(snapshot(Map.of("retention", Map.of("evidence", "400d")))));
    assertEquals(Optional.of(PayloadRetention.parse("30d")),
        PayloadRetention.of(snapshot(Map.of("retention", Map.of("evidence", "400d", "payloads", "30d")))));
    var e = assertThrows(IllegalArgumentException.class, () -> PayloadRetention.of(snapshot(Map.of("retention", "30d"))));
    assertTrue(e.getMessage().contains("body.retention"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PayloadRetention.of(snapshot(Map.of("retention", Map.of("payloads", 30)))));
  }

  @Test
  void aPayloadIsPastItsRetentionFromTheCutoffOnExactly() {
    PayloadRetention keep = PayloadRetention.parse("30d");
    Instant cutoff = NOW.minus(Duration.ofDays(30));
    assertEquals(cutoff, keep.cutoff(NOW));
    assertTrue(keep.expired(cutoff, NOW), "exactly the retention old");
    assertTrue(keep.expired(cutoff.minusNanos(1), NOW));
    assertFalse(keep.expired(cutoff.plusNanos(1), NOW), "one nanosecond younger than the retention");
    assertFalse(keep.expired(NOW, NOW));
  }

  @Test
  void aBlobIsReleasedOnlyWithItsLastLiveReference() {
    Random random = new Random(6011);
    for (int round = 0; round < 200; round++) {
      // A few blob keys shared among many payloads, inline payloads among them.
      List<BlobKey> keys = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(5); k++) {
        keys.add(new BlobKey(new Sha256(String.format("%064x", random.nextInt(1_000_000)))));
      }
      List<StoredPayload> all = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(12); i++) {
        PayloadLocation location = random.nextInt(4) == 0 ? new PayloadLocation.InlineRecord("t", 0, i)
            : new PayloadLocation.Blob(keys.get(random.nextInt(keys.size())));
        all.add(payload(location, NOW.minusSeconds(random.nextInt(100))));
      }
      PayloadRetention keep = PayloadRetention.parse("50s");
      List<StoredPayload> retired = all.stream().filter(p -> keep.expired(p.storedAt(), NOW)).toList();
      Set<BlobKey> live = new HashSet<>();
      all.stream().filter(p -> !retired.contains(p)).forEach(p -> {
        if (p.location() instanceof PayloadLocation.Blob b) {
          live.add(b.key());
        }
      });

      Set<BlobKey> released = PayloadRetention.releasedBlobs(retired, live);
      for (BlobKey key : keys) {
        boolean referencedByRetired = retired.stream().anyMatch(p -> p.location().equals(new PayloadLocation.Blob(key)));
        assertEquals(referencedByRetired && !live.contains(key), released.contains(key),
            "round " + round + ": " + key.uri() + " released iff its last live reference was retired");
      }
      assertTrue(keys.containsAll(released), "only blob keys of retired payloads, never an inline location");
    }
  }

  @Test
  void retiringOneOfTwoPayloadsSharingABlobKeepsTheBlob() {
    BlobKey shared = new BlobKey(new Sha256("a".repeat(64)));
    StoredPayload first = payload(new PayloadLocation.Blob(shared), NOW.minusSeconds(60));
    StoredPayload second = payload(new PayloadLocation.Blob(shared), NOW);
    StoredPayload inline = payload(new PayloadLocation.InlineRecord("t", 1, 7), NOW.minusSeconds(60));
    assertEquals(Set.of(), PayloadRetention.releasedBlobs(List.of(first, inline), Set.of(shared)));
    assertEquals(Set.of(shared), PayloadRetention.releasedBlobs(List.of(second), Set.of()));
    assertEquals(Set.of(shared), PayloadRetention.releasedBlobs(List.of(first, second), Set.of()), "both in one batch");
  }

  private static StoredPayload payload(PayloadLocation location, Instant storedAt) {
    return new StoredPayload(new PayloadId(UUID.randomUUID()), new Sha256("b".repeat(64)), 10, Classification.PUBLIC, "default",
        location, null, null, "it", storedAt);
  }

  private static ConfigSnapshot snapshot(Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("routes", List.of());
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", "default/dev");
    doc.put("version", 1);
    doc.put("parent", "");
    doc.put("expiresAt", "2030-01-01T00:00:00Z");
    doc.put("body", body);
    return ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc));
  }
}
