package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevelopmentTrustTest {
  @TempDir
  Path dir;

  @Test
  void createsOwnerOnlyKeyAndAOneKeyRootWithThresholdOneEverywhere() throws IOException {
    DevelopmentTrust dev = DevelopmentTrust.ensure(dir.resolve("data"), TrustRootTest.CLOCK);
    Path data = dir.resolve("data");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("dev-admin.key"))));
    assertEquals(dev.adminKey().publicKey(), KeyFiles.readPublicKey(data.resolve("dev-admin.pub")));
    TrustRoot root = dev.root();
    assertEquals(1, root.version());
    assertEquals(java.util.Set.of(dev.adminKey().publicKey()), root.adminKeys());
    for (String scope : List.of("trust", "policy", "egress", "default/dev")) {
      assertEquals(1, root.threshold(scope), scope);
    }
    assertEquals(TrustRootTest.NOW.plus(DevelopmentTrust.VALIDITY), root.expires());
    DsseEnvelope env = DsseEnvelope.fromJson(Files.readAllBytes(data.resolve("trust.json")));
    assertTrue(TrustRoot.verifySelfSigned(env, TrustRootTest.NOW).isVerified());
  }

  @Test
  void secondCallLoadsTheSameFilesWithoutRewritingThem() throws IOException {
    DevelopmentTrust first = DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK);
    byte[] trust = Files.readAllBytes(dir.resolve("trust.json"));
    byte[] key = Files.readAllBytes(dir.resolve("dev-admin.key"));
    DevelopmentTrust second = DevelopmentTrust.ensure(dir, Clock.offset(TrustRootTest.CLOCK, Duration.ofDays(30)));
    assertEquals(first.adminKey(), second.adminKey());
    assertEquals(first.root(), second.root());
    assertArrayEquals(trust, Files.readAllBytes(dir.resolve("trust.json")));
    assertArrayEquals(key, Files.readAllBytes(dir.resolve("dev-admin.key")));
  }

  @Test
  void recreatesAMissingTrustRootFromTheExistingKey() throws IOException {
    DevelopmentTrust first = DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK);
    Files.delete(dir.resolve("trust.json"));
    assertEquals(first.adminKey(), DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK).adminKey());
  }

  @Test
  void refusesAHalfKeyPairOrARootThatDoesNotTrustTheDevKey() throws IOException {
    DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK);
    Files.delete(dir.resolve("dev-admin.pub"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK));
    assertTrue(e.getMessage().contains("without"), e.getMessage());

    Path other = dir.resolve("other");
    DevelopmentTrust.ensure(other, TrustRootTest.CLOCK);
    AdminKeyPair stranger = TrustRootTest.K.get(5);
    TrustRoot foreign = TrustRoot.create(List.of(stranger.publicKey()), 1, TrustRootTest.NEXT_YEAR);
    Files.write(other.resolve("trust.json"), foreign.signedBy(List.of(stranger)).toJsonFile());
    e = assertThrows(IllegalStateException.class, () -> DevelopmentTrust.ensure(other, TrustRootTest.CLOCK));
    assertTrue(e.getMessage().contains("as an admin key"), e.getMessage());
  }

  @Test
  void anExpiredDevelopmentRootIsReportedNotSilentlyReplaced() throws IOException {
    DevelopmentTrust.ensure(dir, TrustRootTest.CLOCK);
    Clock muchLater = Clock.offset(TrustRootTest.CLOCK, DevelopmentTrust.VALIDITY);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DevelopmentTrust.ensure(dir, muchLater));
    assertTrue(e.getMessage().contains("step expires"), e.getMessage());
  }
}
