package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class LeaseTokenTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(5);
  private static final String DIGEST = "ab".repeat(32);
  private final SecureRandom random = new SecureRandom(new byte[] {9});
  private final AdminKeyPair admin = AdminKeyPair.generate(random);
  private final AdminKeyPair lease = AdminKeyPair.generate(random);
  private final AdminKeyPair forger = AdminKeyPair.generate(random);
  private final TrustRoot root = rootWithLeaseKey(lease);

  private TrustRoot rootWithLeaseKey(AdminKeyPair leaseKey) {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 1));
    return new TrustRoot(1, Instant.parse("2030-01-01T00:00:00Z"), Set.of(admin.publicKey()), 1, thresholds,
        Set.of(leaseKey.publicKey()), Set.of());
  }

  private LeaseToken token(AdminKeyPair key) {
    return LeaseToken.sign("default/dev", 3, DIGEST, NOW, NOW.plusSeconds(60), key);
  }

  private static String failedStep(Verification v) {
    return assertInstanceOf(Verification.Failed.class, v, "expected a failure, was " + v).step();
  }

  @Test
  void aTokenByTheLeaseKeyVerifiesUntilItExpires() {
    LeaseToken t = token(lease);
    assertInstanceOf(Verification.Verified.class, t.verify(root, NOW.plusSeconds(59), SKEW));
    assertEquals("expiry", failedStep(t.verify(root, NOW.plusSeconds(60), SKEW)));
  }

  @Test
  void aForgedTokenIsRefused() {
    assertEquals("key", failedStep(token(forger).verify(root, NOW, SKEW)));
    assertEquals("key", failedStep(token(admin).verify(root, NOW, SKEW)), "an admin key is not a lease key");
  }

  @Test
  void anyChangedFieldBreaksTheSignature() {
    LeaseToken t = token(lease);
    List<LeaseToken> altered = List.of(
        new LeaseToken("other/dev", 3, DIGEST, t.issuedAt(), t.expiresAt(), t.keyId(), t.signature()),
        new LeaseToken("default/dev", 4, DIGEST, t.issuedAt(), t.expiresAt(), t.keyId(), t.signature()),
        new LeaseToken("default/dev", 3, "cd".repeat(32), t.issuedAt(), t.expiresAt(), t.keyId(), t.signature()),
        new LeaseToken("default/dev", 3, DIGEST, t.issuedAt(), t.expiresAt().plusSeconds(3600), t.keyId(), t.signature()));
    for (LeaseToken a : altered) {
      assertEquals("signature", failedStep(a.verify(root, NOW, SKEW)), "altered " + a);
    }
    byte[] sig = t.signature();
    sig[0] ^= 1;
    assertEquals("signature", failedStep(new LeaseToken("default/dev", 3, DIGEST, t.issuedAt(), t.expiresAt(), t.keyId(), sig)
        .verify(root, NOW, SKEW)));
  }

  @Test
  void aTokenFromTheFutureIsRefused() {
    LeaseToken t = LeaseToken.sign("default/dev", 3, DIGEST, NOW.plusSeconds(60), NOW.plusSeconds(120), lease);
    assertEquals("issuedAt", failedStep(t.verify(root, NOW, SKEW)));
  }
}
