package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustCommandTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  @BeforeEach
  void threeAdmins() {
    for (String name : List.of("a", "b", "c")) {
      assertEquals(0, KeysCommandTest.run(CLOCK, "keys", "generate", "--out", dir.resolve(name).toString()).exitCode());
    }
  }

  private KeysCommandTest.Run init(String... extra) {
    List<String> args = new ArrayList<>(List.of("trust", "init"));
    for (String a : extra) {
      args.add(a.endsWith(".pub") || a.endsWith(".key") || a.endsWith(".json") ? dir.resolve(a).toString() : a);
    }
    return KeysCommandTest.run(CLOCK, args.toArray(String[]::new));
  }

  private DsseEnvelope written(String name) throws Exception {
    return DsseEnvelope.fromJson(Files.readAllBytes(dir.resolve(name)));
  }

  private KeysCommandTest.Run rotate(String... extra) {
    List<String> args = new ArrayList<>(List.of("trust", "rotate"));
    for (String a : extra) {
      args.add(a.endsWith(".pub") || a.endsWith(".key") || a.endsWith(".json") ? dir.resolve(a).toString() : a);
    }
    return KeysCommandTest.run(CLOCK, args.toArray(String[]::new));
  }

  @Test
  void rotationNeedsTheThresholdsOfTheCurrentAndTheNewAdmins() throws Exception {
    assertEquals(0, init("--admin", "a.pub", "b.pub", "--threshold", "2", "--sign", "a.key", "b.key", "--out", "trust.json").exitCode());
    KeysCommandTest.Run onlyNew = rotate("--current", "trust.json", "--admin", "b.pub", "c.pub", "--threshold", "2",
        "--sign", "b.key", "c.key", "--out", "trust-v2.json");
    assertEquals(1, onlyNew.exitCode(), "a alone of the current admins signed: " + onlyNew.err());
    assertTrue(onlyNew.err().contains("current.threshold"), onlyNew.err());
    assertFalse(Files.exists(dir.resolve("trust-v2.json")), "nothing written");

    KeysCommandTest.Run both = rotate("--current", "trust.json", "--admin", "b.pub", "c.pub", "--threshold", "2",
        "--sign", "a.key", "b.key", "c.key", "--out", "trust-v2.json");
    assertEquals(0, both.exitCode(), both.err());
    TrustRoot current = TrustRoot.decode(written("trust.json"));
    Verification v = TrustRoot.verifyRotation(current, written("trust-v2.json"), CLOCK.instant());
    assertTrue(v.isVerified(), v.toString());
    assertEquals(2, TrustRoot.decode(written("trust-v2.json")).version());
  }

  @Test
  void initWritesARootSignedByTheThresholdThatVerifies() throws Exception {
    KeysCommandTest.Run r = init("--admin", "a.pub", "b.pub", "c.pub", "--threshold", "2", "--sign", "a.key", "c.key", "--out", "trust.json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("trust root version 1") && r.out().contains("privileged threshold 2"), r.out());
    DsseEnvelope env = written("trust.json");
    assertEquals(TrustRoot.PAYLOAD_TYPE, env.payloadType());
    Verification v = TrustRoot.verifySelfSigned(env, CLOCK.instant());
    assertTrue(v.isVerified(), v.toString());
    TrustRoot root = TrustRoot.decode(env);
    assertEquals(3, root.adminKeys().size());
    assertEquals(2, root.threshold("trust"));
    assertEquals(2, root.threshold("egress"));
    assertEquals(1, root.threshold("default/dev"));
    assertEquals(CLOCK.instant().plus(Duration.ofDays(365)), root.expires());
    assertEquals(2, env.signatures().size());
  }

  @Test
  void initRefusesWhenSignaturesDoNotMeetTheThresholdAndWritesNothing() {
    KeysCommandTest.Run r = init("--admin", "a.pub", "b.pub", "--threshold", "2", "--sign", "a.key", "--out", "trust.json");
    assertEquals(ExitCode.REJECTED.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("1 of 2 required"), r.err());
    assertFalse(Files.exists(dir.resolve("trust.json")));
  }

  @Test
  void initRefusesASigningKeyThatIsNotAnAdmin() {
    KeysCommandTest.Run r = init("--admin", "a.pub", "--sign", "b.key", "--out", "trust.json");
    assertEquals(ExitCode.REJECTED.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("is not one of the --admin keys"), r.err());
  }

  @Test
  void thresholdDefaultsToTwoCappedByAdminsAndMustFitTheAdmins() throws Exception {
    assertEquals(0, init("--admin", "a.pub", "--sign", "a.key", "--out", "one.json").exitCode());
    assertEquals(1, TrustRoot.decode(written("one.json")).threshold("trust"));
    assertEquals(ExitCode.REJECTED.code(), init("--admin", "a.pub", "b.pub", "--sign", "a.key", "--out", "two.json").exitCode(),
        "two admins default to threshold 2");
    KeysCommandTest.Run r = init("--admin", "a.pub", "b.pub", "--threshold", "3", "--sign", "a.key", "b.key", "--out", "x.json");
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("between 1 and the 2 admin key(s)"), r.err());
    assertEquals(ExitCode.USAGE.code(), init("--admin", "a.pub", "--threshold", "0", "--sign", "a.key", "--out", "x.json").exitCode());
  }

  @Test
  void initRefusesToOverwriteAnExistingRoot() throws Exception {
    Files.writeString(dir.resolve("trust.json"), "keep");
    KeysCommandTest.Run r = init("--admin", "a.pub", "--sign", "a.key", "--out", "trust.json");
    assertEquals(ExitCode.REJECTED.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("refusing to overwrite"), r.err());
    assertEquals("keep", Files.readString(dir.resolve("trust.json")));
  }

  @Test
  void expiresAcceptsLifetimesAndInstantsAndRejectsThePast() throws Exception {
    assertEquals(0, init("--admin", "a.pub", "--sign", "a.key", "--out", "d.json", "--expires", "30d").exitCode());
    assertEquals(CLOCK.instant().plus(Duration.ofDays(30)), TrustRoot.decode(written("d.json")).expires());
    assertEquals(0, init("--admin", "a.pub", "--sign", "a.key", "--out", "p.json", "--expires", "P2D").exitCode());
    assertEquals(CLOCK.instant().plus(Duration.ofDays(2)), TrustRoot.decode(written("p.json")).expires());
    assertEquals(0, init("--admin", "a.pub", "--sign", "a.key", "--out", "i.json", "--expires", "2030-01-01T00:00:00Z").exitCode());
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), TrustRoot.decode(written("i.json")).expires());
    assertEquals(ExitCode.USAGE.code(), init("--admin", "a.pub", "--sign", "a.key", "--out", "x.json", "--expires", "2020-01-01T00:00:00Z").exitCode());
    assertEquals(ExitCode.USAGE.code(), init("--admin", "a.pub", "--sign", "a.key", "--out", "x.json", "--expires", "soon").exitCode());
  }

  @Test
  void duplicateAdminsAndUnreadableKeysAreOneLineErrors() throws Exception {
    KeysCommandTest.Run dup = init("--admin", "a.pub", "a.pub", "--sign", "a.key", "--out", "x.json");
    assertEquals(ExitCode.USAGE.code(), dup.exitCode(), dup.err());
    assertTrue(dup.err().contains("same admin key"), dup.err());

    Files.writeString(dir.resolve("junk.key"), "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n-----END PRIVATE KEY-----\n");
    KeysCommandTest.Run junk = init("--admin", "a.pub", "--sign", "junk.key", "--out", "x.json");
    assertEquals(ExitCode.REJECTED.code(), junk.exitCode(), junk.err());
    assertTrue(junk.err().contains("junk.key") && !junk.err().contains("c2VjcmV0"), junk.err());
    assertEquals(1, junk.err().strip().lines().count(), junk.err());

    KeysCommandTest.Run missing = init("--admin", "nobody.pub", "--sign", "a.key", "--out", "x.json");
    assertEquals(ExitCode.REJECTED.code(), missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("no such key file"), missing.err());
  }

  @Test
  void initPrintsJsonWithVersionAndDigest() throws Exception {
    KeysCommandTest.Run r = init("--output", "json", "--admin", "a.pub", "--sign", "a.key", "--out", "trust.json");
    assertEquals(0, r.exitCode(), r.err());
    String digest = TrustCommand.sha256Hex(written("trust.json").payload());
    assertTrue(r.out().contains("\"digest\":\"" + digest + "\"") && r.out().contains("\"version\":1"), r.out());
    AdminKeyPair a = KeyFiles.readPrivateKey(dir.resolve("a.key"));
    assertTrue(TrustRoot.decode(written("trust.json")).adminKeys().contains(a.publicKey()));
  }
}
