package dev.quartet.cli;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.Ed25519PublicKey;
import dev.quartet.evidence.domain.note.NoteSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline verifier on a real bundle built in the test, and one tamper probe per step. */
class BundleVerifierTest {
  @TempDir
  Path dir;
  private BundleFixture fixture;

  @BeforeEach
  void buildBundle() throws IOException {
    fixture = new BundleFixture(dir);
  }

  @Test
  void verifiesAnIntactBundle() throws IOException {
    var v = assertInstanceOf(BundleVerification.Verified.class, verify(fixture.bundle, fixture.trustJson));
    assertEquals(new BundleVerification.Verified(3, 3, 2, 1, 1, 1), v);
  }

  @Test
  void flippedEventByteFailsAtItsInclusionWithRootMismatch() throws IOException {
    var f = failed(tampered(e -> e.put("events/000001.avro", BundleFixture.flipped(e.get("events/000001.avro"), 40))));
    assertEquals("inclusion[1] (event " + fixture.selectedIds.get(1) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("root mismatch"), f.line());
  }

  @Test
  void rehashingTheManifestDoesNotHideAFlippedByte() throws IOException {
    Path zip = tampered(e -> {
      e.put("events/000002.avro", BundleFixture.flipped(e.get("events/000002.avro"), 12));
      BundleManifest m = BundleManifest.fromJson(e.get(BundleLayout.MANIFEST));
      var hashes = new java.util.TreeMap<>(m.sha256());
      hashes.put("events/000002.avro", BundleWriter.sha256Hex(e.get("events/000002.avro")));
      e.put(BundleLayout.MANIFEST, m.withSha256(hashes).toJson());
    });
    assertEquals("inclusion[2] (event " + fixture.selectedIds.get(2) + ")", failed(zip).step());
  }

  @Test
  void flippedProofHashFailsAtInclusion() throws IOException {
    var f = failed(tampered(e -> replace(e, "proofs/inclusion/000000.json", s -> {
      int at = s.indexOf("\"hashes\" : [ \"") + 14;
      return s.substring(0, at) + (s.charAt(at) == '0' ? '1' : '0') + s.substring(at + 1);
    })));
    assertEquals("inclusion[0] (event " + fixture.selectedIds.get(0) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("root mismatch"), f.line());
  }

  @Test
  void flippedCheckpointSignatureFailsAtThatCheckpoint() throws IOException {
    var f = failed(tampered(e -> replace(e, "checkpoints/0-8.note", s -> {
      int at = s.length() - 10; // inside the base64 signature of the last line
      return s.substring(0, at) + (s.charAt(at) == 'A' ? 'B' : 'A') + s.substring(at + 1);
    })));
    assertEquals("checkpoint[1] (checkpoints/0-8.note)", f.step(), f.line());
    assertTrue(f.reason().contains("signature"), f.line());
  }

  @Test
  void removedProofFailsAtThatEventsInclusion() throws IOException {
    var f = failed(tampered(e -> e.remove("proofs/inclusion/000002.json")));
    assertEquals("inclusion[2] (event " + fixture.selectedIds.get(2) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("no inclusion proof"), f.line());
  }

  @Test
  void alteredManifestCountsFailAtManifest() throws IOException {
    var f = failed(tampered(e -> replace(e, BundleLayout.MANIFEST, s -> s.replace("\"events\" : 3", "\"events\" : 4"))));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().startsWith("counts"), f.line());
  }

  @Test
  void alteredManifestHashFailsAtTheManifestStep() throws IOException {
    String listed = BundleManifest.fromJson(BundleFixture.entries(fixture.bundle).get(BundleLayout.MANIFEST))
        .sha256().get("keys.json");
    var f = failed(tampered(e -> replace(e, BundleLayout.MANIFEST, s -> s.replace(listed, "0".repeat(64)))));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().contains("keys.json"), f.line());
  }

  @Test
  void unlistedEntryFailsAtTheManifestStep() throws IOException {
    var f = failed(tampered(e -> e.put("extra.txt", "smuggled".getBytes(StandardCharsets.UTF_8))));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().contains("extra.txt") && f.reason().contains("not listed"), f.line());
  }

  @Test
  void trustRootWithoutTheCheckpointKeyFailsAtTheFirstCheckpoint() throws IOException {
    Ed25519PublicKey stranger = AdminKeyPair.generate(new SecureRandom()).publicKey();
    byte[] trust = fixture.trustRoot(Set.of(stranger)).toJsonFile();
    var f = failed(verify(fixture.bundle, trust));
    assertEquals("checkpoint[0] (checkpoints/0-4.note)", f.step(), f.line());
    assertTrue(f.reason().startsWith("no signature by a checkpoint key of trust root v1"), f.line());
  }

  @Test
  void tamperedTrustRootFailsAtTrust() throws IOException {
    byte[] trust = new String(fixture.trustJson, StandardCharsets.UTF_8).replace("\"sig\":\"", "\"sig\":\"AA")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("trust", failed(verify(fixture.bundle, trust)).step());
  }

  @Test
  void alteredRenderingFailsAtEvent() throws IOException {
    var f = failed(tampered(e -> replace(e, "events/000001.json", s -> s.replace("RECORDED", "APPROVED"))));
    assertEquals("event[1] (event " + fixture.selectedIds.get(1) + ")", f.step(), f.line());
  }

  @Test
  void missingConsistencyProofFailsNamingTheLog() throws IOException {
    var f = failed(tampered(e -> {
      e.remove("proofs/consistency/0-8-10.json");
      replace(e, BundleLayout.MANIFEST, s -> s.replace(", \"proofs/consistency/0-8-10.json\"", "")
          .replace("\"consistencyProofs\" : 2", "\"consistencyProofs\" : 1"));
    }));
    assertEquals("consistency (" + BundleFixture.ORIGIN_PREFIX + "0)", f.step(), f.line());
  }

  @Test
  void configDigestNeitherIncludedNorListedMissingFailsAtConfigRef() throws IOException {
    var f = failed(tampered(e -> replace(e, BundleLayout.MANIFEST, s -> s.replace(BundleFixture.MISSING_DIGEST, "cd".repeat(32)))));
    assertEquals("config-ref[2] (event " + fixture.selectedIds.get(2) + ")", f.step(), f.line());
  }

  @Test
  void snapshotSignedByAnUntrustedKeyFailsAtConfig() throws IOException {
    DsseEnvelope forged = Dsse.sign(ConfigDocuments.PAYLOAD_TYPE, fixture.snapshot.payload(), AdminKeyPair.generate(new SecureRandom()));
    var f = failed(tampered(e -> e.put(BundleLayout.config(BundleFixture.SCOPE, 1), forged.toJson())));
    assertEquals("config[0] (acme/dev v1)", f.step(), f.line());
  }

  @Test
  void notAZipFailsAtBundle() throws IOException {
    Path junk = java.nio.file.Files.writeString(dir.resolve("junk.zip"), "not a zip");
    var r = QuartetCommandLineTest.run(java.util.Map.of(), "evidence", "verify", junk.toString(), "--trust", trustFile().toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("quartet: verify failed at bundle: not a zip file"), r.err());
  }

  @Test
  void verifyCommandExitsZeroThenOneWithOneLine() throws IOException {
    var ok = QuartetCommandLineTest.run(java.util.Map.of(), "evidence", "verify", fixture.bundle.toString(), "--trust",
        trustFile().toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(ok.out().startsWith("verified 3 events against 3 signed checkpoints"), ok.out());
    Path bad = tampered(e -> e.remove("proofs/inclusion/000000.json"));
    var failed = QuartetCommandLineTest.run(java.util.Map.of(), "evidence", "verify", bad.toString(), "--trust", trustFile().toString());
    assertEquals(1, failed.exitCode(), failed.err());
    assertEquals(1, failed.err().strip().lines().count(), "one line: " + failed.err());
    assertTrue(failed.err().startsWith("quartet: verify failed at inclusion[0] (event "), failed.err());
    var missing = QuartetCommandLineTest.run(java.util.Map.of(), "evidence", "verify", dir.resolve("nope.zip").toString(),
        "--trust", trustFile().toString());
    assertEquals(2, missing.exitCode(), missing.err());
  }

  @Test
  void parallelWorkersReportTheLowestFailingEventAndInclusionBeforeRendering() throws IOException {
    BundleFixture big = new BundleFixture(dir.resolve("big"), 2000, 1, 500);
    Path zip = BundleFixture.rewrite(big.bundle, dir.resolve("big-tampered.zip"), e -> {
      replace(e, "events/000100.json", s -> s.replace("RECORDED", "APPROVED"));
      e.put("events/001500.avro", BundleFixture.flipped(e.get("events/001500.avro"), 30));
      e.put("events/000700.avro", BundleFixture.flipped(e.get("events/000700.avro"), 30));
    });
    for (int threads : new int[] {1, 2, 4}) {
      try (BundleEntries entries = BundleEntries.open(zip, BundleEntries.Limits.defaults())) {
        var f = failed(BundleVerifier.verify(big.trustJson, entries, BundleFixture.NOW, threads));
        assertEquals("inclusion[700] (event " + big.selectedIds.get(700) + ")", f.step(), threads + " threads: " + f.line());
      }
    }
  }

  @Test
  void droppedEventWithAConsistentlyRewrittenManifestFailsAtSignature() throws IOException {
    var f = failed(tampered(e -> e.put(BundleLayout.MANIFEST, withoutEvent(e, 1))));
    assertEquals("signature", f.step(), f.line());
    assertTrue(f.reason().startsWith("the signature is not over this manifest"), f.line());
  }

  @Test
  void manifestResignedByAKeyOutsideTheTrustRootFailsAtSignature() throws IOException {
    var f = failed(tampered(e -> {
      byte[] manifest = withoutEvent(e, 0);
      e.put(BundleLayout.MANIFEST, manifest);
      byte[] seed = new byte[32];
      new SecureRandom().nextBytes(seed);
      e.put(BundleLayout.SIGNATURE, BundleSignature.sign(manifest, NoteSigner.of(BundleFixture.KEY_NAME, seed)));
    }));
    assertEquals("signature", f.step(), f.line());
    assertTrue(f.reason().startsWith("no signature by a checkpoint key of trust root v1"), f.line());
  }

  @Test
  void unsignedBundleFailsAtSignature() throws IOException {
    var f = failed(tampered(e -> e.remove(BundleLayout.SIGNATURE)));
    assertEquals("signature", f.step(), f.line());
    assertTrue(f.reason().startsWith("the bundle is not signed"), f.line());
  }

  /** The manifest without event {@code n}, whose entries are removed, every list, count and hash consistent again. */
  private static byte[] withoutEvent(LinkedHashMap<String, byte[]> entries, int n) {
    BundleManifest m = BundleManifest.fromJson(entries.get(BundleLayout.MANIFEST));
    BundleManifest.Event gone = m.events().get(n);
    var events = new java.util.ArrayList<>(m.events());
    events.remove(n);
    var hashes = new LinkedHashMap<>(m.sha256());
    for (String name : new String[] {gone.record(), gone.rendering(), gone.inclusionProof()}) {
      entries.remove(name);
      hashes.remove(name);
    }
    BundleManifest.Counts c = m.counts();
    return new BundleManifest(m.format(), m.createdAt(), m.selector(), new BundleManifest.Counts(c.events() - 1,
        c.checkpoints(), c.consistencyProofs(), c.configSnapshots(), c.missingConfigSnapshots()), m.keys(), events,
        m.checkpoints(), m.consistencyProofs(), m.configSnapshots(), m.missingConfigSnapshots(), hashes).toJson();
  }

  private Path trustFile() throws IOException {
    return java.nio.file.Files.write(dir.resolve("trust.json"), fixture.trustJson);
  }

  private Path tampered(Consumer<LinkedHashMap<String, byte[]>> edit) throws IOException {
    return BundleFixture.rewrite(fixture.bundle, dir.resolve("tampered.zip"), edit);
  }

  private static void replace(LinkedHashMap<String, byte[]> entries, String name, java.util.function.UnaryOperator<String> edit) {
    entries.put(name, edit.apply(new String(entries.get(name), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  private BundleVerification.Failed failed(Path zip) throws IOException {
    return failed(verify(zip, fixture.trustJson));
  }

  private static BundleVerification.Failed failed(BundleVerification v) {
    return assertInstanceOf(BundleVerification.Failed.class, v, "expected a failure, got " + v);
  }

  private static BundleVerification verify(Path zip, byte[] trust) throws IOException {
    try (BundleEntries entries = BundleEntries.open(zip, BundleEntries.Limits.defaults())) {
      return BundleVerifier.verify(trust, entries, BundleFixture.NOW);
    }
  }
}
