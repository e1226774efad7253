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
import java.util.List;
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
    assertEquals(new BundleVerification.Verified(3, 0, 3, 3, 2, 1, 1, 1), v);
  }

  @Test
  void flippedEventByteFailsAtItsInclusionWithRootMismatch() throws IOException {
    var f = failed(tampered(e -> flipRecord(e, 1, 40)));
    assertEquals("inclusion[1] (event " + fixture.selectedIds.get(1) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("root mismatch"), f.line());
  }

  @Test
  void flippedByteUnderUnchangedFrameHeadersFailsAtInclusion() throws IOException {
    // The manifest binds the frame headers only: a record altered under them is caught by its leaf hash.
    Path zip = tampered(e -> {
      String before = BundleFixture.framesSha256(e.get(BundleLayout.RECORDS));
      flipRecord(e, 2, 12);
      assertEquals(before, BundleFixture.framesSha256(e.get(BundleLayout.RECORDS)));
    });
    assertEquals("inclusion[2] (event " + fixture.selectedIds.get(2) + ")", failed(zip).step());
  }

  @Test
  void olderFormatIsRefusedAskingForANewExport() throws IOException {
    var f = failed(tampered(e -> replace(e, BundleLayout.MANIFEST,
        s -> s.replace(BundleLayout.FORMAT, "quartet-evidence-bundle/2"))));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().contains("quartet-evidence-bundle/2") && f.reason().contains("export again"), f.line());
  }

  @Test
  void removedEventWithCountsButNotTheFramesHashRewrittenFailsAtTheManifest() throws IOException {
    var f = failed(tampered(e -> {
      String frames = BundleManifest.fromJson(e.get(BundleLayout.MANIFEST)).events().framesSha256();
      BundleManifest rewritten = BundleManifest.fromJson(withoutEvent(e, 1));
      e.put(BundleLayout.MANIFEST, rewritten.withFramesSha256(frames).toJson());
    }));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().startsWith("the frame headers of " + BundleLayout.RECORDS), f.line());
  }

  @Test
  void appendedFrameAndLineBeyondTheCountsFailAtTheManifest() throws IOException {
    var frame = failed(tampered(e -> BundleFixture.editFrames(e, frames -> frames.add(frames.get(0)))));
    assertEquals("manifest", frame.step(), frame.line());
    assertTrue(frame.reason().startsWith("counts: " + BundleLayout.RECORDS + " holds more"), frame.line());
    var line = failed(tampered(e -> BundleFixture.editLines(e, BundleLayout.RENDERINGS, lines -> lines.add(lines.get(0)))));
    assertEquals("manifest", line.step(), line.line());
    assertTrue(line.reason().startsWith("counts: " + BundleLayout.RENDERINGS + " holds more"), line.line());
  }

  @Test
  void renderingLineOfAnotherLengthFailsAtThatEventEvenWhenItIsTheSameJson() throws IOException {
    var f = failed(tampered(e -> BundleFixture.editLines(e, BundleLayout.RENDERINGS,
        lines -> lines.set(1, lines.get(1).replaceFirst(",", ", ")))));
    assertEquals("event[1] (event " + fixture.selectedIds.get(1) + ")", f.step(), f.line());
    assertTrue(f.reason().contains("is not the") && f.reason().contains("bytes its frame"), f.line());
  }

  @Test
  void frameAnnouncingALongerRenderingThanTheEntryHoldsFailsAtThatEvent() throws IOException {
    var f = failed(tampered(e -> BundleFixture.editFrames(e, frames -> {
      BundleFixture.Frame last = frames.get(2);
      frames.set(2, new BundleFixture.Frame(last.partition(), last.leafIndex(), last.leafHash(), last.record(),
          BundleRecords.MAX_RENDERING_BYTES));
    })));
    assertEquals("event[2] (event " + fixture.selectedIds.get(2) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("no rendering"), f.line());
  }

  @Test
  void eventEntryListedAmongTheHashesFailsAtTheManifest() throws IOException {
    var f = failed(tampered(e -> {
      BundleManifest m = BundleManifest.fromJson(e.get(BundleLayout.MANIFEST));
      var hashes = new LinkedHashMap<>(m.sha256());
      hashes.put(BundleLayout.RENDERINGS, BundleWriter.sha256Hex(e.get(BundleLayout.RENDERINGS)));
      e.put(BundleLayout.MANIFEST, m.withSha256(hashes).toJson());
    }));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().contains(BundleLayout.RENDERINGS) && f.reason().contains("framesSha256"), f.line());
  }

  @Test
  void flippedProofHashFailsAtInclusion() throws IOException {
    var f = failed(tampered(e -> BundleFixture.editLines(e, BundleLayout.INCLUSION, lines -> {
      String s = lines.get(0);
      int at = s.indexOf("\"hashes\":[\"") + 11;
      lines.set(0, s.substring(0, at) + (s.charAt(at) == '0' ? '1' : '0') + s.substring(at + 1));
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
    var f = failed(tampered(e -> BundleFixture.editLines(e, BundleLayout.INCLUSION, lines -> lines.remove(2))));
    assertEquals("inclusion[2] (event " + fixture.selectedIds.get(2) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("no inclusion proof"), f.line());
  }

  @Test
  void alteredManifestCountsFailAtManifest() throws IOException {
    var f = failed(tampered(e -> replace(e, BundleLayout.MANIFEST, s -> s.replace("\"events\" : 3", "\"events\" : 4"))));
    assertEquals("manifest", f.step(), f.line());
    assertTrue(f.reason().startsWith("counts") && f.reason().contains("the manifest counts 4"), f.line());
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
    var f = failed(tampered(e -> BundleFixture.editLines(e, BundleLayout.RENDERINGS,
        lines -> lines.set(1, lines.get(1).replace("RECORDED", "APPROVED")))));
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
    Path bad = tampered(e -> BundleFixture.editLines(e, BundleLayout.INCLUSION, lines -> lines.remove(0)));
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
      BundleFixture.editLines(e, BundleLayout.RENDERINGS, lines -> lines.set(100, lines.get(100).replace("RECORDED", "APPROVED")));
      flipRecord(e, 1500, 30);
      flipRecord(e, 700, 30);
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

  @Test
  void completeRangeIsProvenByWholeTreeRecomputeAndAgreesWithPerEventProofs() throws IOException {
    BundleFixture complete = new BundleFixture(dir.resolve("complete"), 10, 0, 1, 4);
    BundleFixture proven = new BundleFixture(dir.resolve("proven"), 10, 0, 1, 4, 10, true);
    BundleFixture mixed = new BundleFixture(dir.resolve("mixed"), 12, 0, 1, 4, 10, false);
    assertEquals(new BundleVerification.Verified(10, 10, 0, 3, 2, 1, 1, 1), verify(complete.bundle, complete.trustJson));
    // With proofs for a complete range too, the range proves the events, and every proof is still checked.
    assertEquals(new BundleVerification.Verified(10, 10, 0, 3, 2, 1, 1, 1), verify(proven.bundle, proven.trustJson));
    var badProof = failed(verify(BundleFixture.rewrite(proven.bundle, dir.resolve("bad-proof.zip"),
        e -> BundleFixture.editLines(e, BundleLayout.INCLUSION, lines -> {
          String s = lines.get(6);
          int at = s.indexOf("\"hashes\":[\"") + 11;
          lines.set(6, s.substring(0, at) + (s.charAt(at) == '0' ? '1' : '0') + s.substring(at + 1));
        })), proven.trustJson));
    assertEquals("inclusion[6] (event " + proven.selectedIds.get(6) + ")", badProof.step(), badProof.line());
    assertTrue(badProof.reason().startsWith("root mismatch"), badProof.line());
    // Leaves 0..9 of 12, checkpoints 4, 8, 12: the range proves 0..7, leaves 8 and 9 carry proofs.
    assertEquals(new BundleVerification.Verified(10, 8, 2, 3, 2, 1, 1, 1), verify(mixed.bundle, mixed.trustJson));
    for (int threads : new int[] {1, 3}) {
      try (BundleEntries entries = BundleEntries.open(complete.bundle, BundleEntries.Limits.defaults())) {
        assertInstanceOf(BundleVerification.Verified.class, BundleVerifier.verify(complete.trustJson, entries,
            BundleFixture.NOW, threads));
      }
    }
  }

  @Test
  void wholeTreeRecomputeInParallelChunksAroundCheckpointsNamesTheAlteredRecord() throws IOException {
    BundleFixture whole = new BundleFixture(dir.resolve("whole"), 2000, 0, 1, 500);
    Path tampered = BundleFixture.rewrite(whole.bundle, dir.resolve("whole-tampered.zip"), e -> flipRecord(e, 1234, 40));
    for (int threads : new int[] {1, 2, 4}) { // chunks of 128, 64 and 32 leaves; checkpoints at 500, 1000, 1500, 2000
      try (BundleEntries entries = BundleEntries.open(whole.bundle, BundleEntries.Limits.defaults())) {
        var v = assertInstanceOf(BundleVerification.Verified.class, BundleVerifier.verify(whole.trustJson, entries,
            BundleFixture.NOW, threads));
        assertEquals(2000, v.provenByRange(), threads + " threads");
      }
      try (BundleEntries entries = BundleEntries.open(tampered, BundleEntries.Limits.defaults())) {
        var f = failed(BundleVerifier.verify(whole.trustJson, entries, BundleFixture.NOW, threads));
        assertEquals("inclusion[1234] (event " + whole.selectedIds.get(1234) + ")", f.step(), threads + " threads: " + f.line());
        assertTrue(f.reason().contains("leaves [0, 1500)"), f.line());
      }
    }
  }

  @Test
  void tamperedRecordInACompleteRangeIsNamed() throws IOException {
    BundleFixture complete = new BundleFixture(dir.resolve("complete"), 10, 0, 1, 4);
    var f = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("t1.zip"), e -> flipRecord(e, 5, 40)),
        complete.trustJson));
    assertEquals("inclusion[5] (event " + complete.selectedIds.get(5) + ")", f.step(), f.line());
    assertTrue(f.reason().startsWith("root mismatch") && f.reason().contains("the record was altered"), f.line());
    // Frame hash rewritten to match: the range [4, 8) is all the log can say; its first event is named.
    var g = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("t2.zip"), e -> BundleFixture.editFrames(e,
        frames -> {
          byte[] record = BundleFixture.flipped(frames.get(5).record(), 40);
          frames.set(5, new BundleFixture.Frame(0, 5, dev.quartet.evidence.domain.merkle.LeafHash.of(record), record,
              frames.get(5).renderingLength()));
        })), complete.trustJson));
    assertEquals("inclusion[4] (event " + complete.selectedIds.get(4) + ")", g.step(), g.line());
    assertTrue(g.reason().startsWith("root mismatch") && g.reason().contains("leaves [4, 8)"), g.line());
  }

  @Test
  void removedOrReorderedEventsInACompleteRangeFail() throws IOException {
    BundleFixture complete = new BundleFixture(dir.resolve("complete"), 10, 0, 1, 4);
    // Event 3 removed, counts and hashes made consistent: leaves 0..2 are no complete range any more.
    var removed = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("r.zip"),
        e -> e.put(BundleLayout.MANIFEST, withoutEvent(e, 3))), complete.trustJson));
    assertEquals("inclusion[0] (event " + complete.selectedIds.get(0) + ")", removed.step(), removed.line());
    assertTrue(removed.reason().startsWith("no inclusion proof"), removed.line());
    // Records 2 and 3 swapped: each still in the tree, but rendering line 2 no longer renders record 2.
    var swapped = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("s.zip"), e -> BundleFixture.editFrames(e,
        frames -> java.util.Collections.swap(frames, 2, 3))), complete.trustJson));
    assertEquals("event[2] (event " + complete.selectedIds.get(2) + ")", swapped.step(), swapped.line());
    // Records and renderings swapped alike: each event checks, but the frame headers are not the ones the manifest binds.
    var both = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("b.zip"), e -> {
      BundleFixture.editFrames(e, frames -> java.util.Collections.swap(frames, 2, 3));
      BundleFixture.editLines(e, BundleLayout.RENDERINGS, lines -> java.util.Collections.swap(lines, 2, 3));
    }), complete.trustJson));
    assertEquals("manifest", both.step(), both.line());
    assertTrue(both.reason().startsWith("the frame headers of " + BundleLayout.RECORDS), both.line());
  }

  @Test
  void leafTwiceAndForkedCheckpointFail() throws IOException {
    BundleFixture complete = new BundleFixture(dir.resolve("complete"), 10, 0, 1, 4);
    // An 11th event that repeats leaf 2 (its rendering too), counted in the manifest.
    var twice = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("d.zip"), e -> {
      BundleFixture.editFrames(e, frames -> frames.add(frames.get(2)));
      BundleFixture.editLines(e, BundleLayout.RENDERINGS, lines -> lines.add(lines.get(2)));
      BundleManifest m = BundleManifest.fromJson(e.get(BundleLayout.MANIFEST));
      BundleManifest.Counts c = m.counts();
      e.put(BundleLayout.MANIFEST, new BundleManifest(m.format(), m.createdAt(), m.selector(), new BundleManifest.Counts(
          c.events() + 1, c.inclusionProofs(), c.checkpoints(), c.consistencyProofs(), c.configSnapshots(),
          c.missingConfigSnapshots()), m.keys(), m.events(), m.checkpoints(), m.consistencyProofs(), m.configSnapshots(),
          m.missingConfigSnapshots(), m.sha256()).toJson());
    }), complete.trustJson));
    assertEquals("inclusion[10] (event " + complete.selectedIds.get(2) + ")", twice.step(), twice.line());
    assertTrue(twice.reason().contains("in this bundle twice"), twice.line());
    // Same key and origin, another log of size 10 (its leaf 8 differs): both signed roots in one bundle.
    BundleFixture other = new BundleFixture(dir.resolve("other"), 10, 0, 2, 4);
    byte[] note = BundleFixture.entries(other.bundle).get("checkpoints/0-10.note");
    var forked = failed(verify(BundleFixture.rewrite(complete.bundle, dir.resolve("f.zip"), e -> {
      e.put("checkpoints/1-10.note", note);
      BundleManifest m = BundleManifest.fromJson(e.get(BundleLayout.MANIFEST));
      List<String> checkpoints = new java.util.ArrayList<>(m.checkpoints());
      checkpoints.add("checkpoints/1-10.note");
      BundleManifest.Counts c = m.counts();
      e.put(BundleLayout.MANIFEST, new BundleManifest(m.format(), m.createdAt(), m.selector(), new BundleManifest.Counts(
          c.events(), c.inclusionProofs(), c.checkpoints() + 1, c.consistencyProofs(), c.configSnapshots(),
          c.missingConfigSnapshots()), m.keys(), m.events(), checkpoints, m.consistencyProofs(), m.configSnapshots(),
          m.missingConfigSnapshots(), m.sha256()).toJson());
    }), complete.trustJson));
    assertEquals("checkpoint[3] (checkpoints/1-10.note)", forked.step(), forked.line());
    assertTrue(forked.reason().startsWith("fork: log " + BundleFixture.ORIGIN_PREFIX + "0 has two signed roots for size 10"),
        forked.line());
  }

  /**
   * Removes event {@code n} (its frame, rendering and proof; later proofs renumbered) and returns the
   * manifest rewritten to match: every count and hash consistent again.
   */
  private static byte[] withoutEvent(LinkedHashMap<String, byte[]> entries, int n) {
    BundleManifest m = BundleManifest.fromJson(entries.get(BundleLayout.MANIFEST));
    BundleFixture.editFrames(entries, frames -> frames.remove(n));
    BundleFixture.editLines(entries, BundleLayout.RENDERINGS, lines -> lines.remove(n));
    BundleFixture.editLines(entries, BundleLayout.INCLUSION, lines -> {
      List<String> kept = new java.util.ArrayList<>();
      for (String line : lines) {
        var proof = BundleDocuments.read(line.getBytes(StandardCharsets.UTF_8), BundleDocuments.InclusionLine.class);
        if (proof.event() != n) {
          int event = proof.event() > n ? proof.event() - 1 : proof.event();
          kept.add(new String(BundleDocuments.writeLine(new BundleDocuments.InclusionLine(event, proof.partition(),
              proof.leafIndex(), proof.treeSize(), proof.hashes(), proof.checkpoint())), StandardCharsets.UTF_8));
        }
      }
      lines.clear();
      lines.addAll(kept);
    });
    int proofs = new String(entries.get(BundleLayout.INCLUSION), StandardCharsets.UTF_8).lines().toList().size();
    BundleManifest.Counts c = m.counts();
    return new BundleManifest(m.format(), m.createdAt(), m.selector(), new BundleManifest.Counts(c.events() - 1, proofs,
        c.checkpoints(), c.consistencyProofs(), c.configSnapshots(), c.missingConfigSnapshots()), m.keys(),
        m.events().withFramesSha256(BundleFixture.framesSha256(entries.get(BundleLayout.RECORDS))),
        m.checkpoints(), m.consistencyProofs(), m.configSnapshots(), m.missingConfigSnapshots(), m.sha256()).toJson();
  }

  /** Flips one byte of event {@code n}'s record, leaving its frame's leaf hash as it was. */
  static void flipRecord(java.util.Map<String, byte[]> entries, int n, int at) {
    BundleFixture.editFrames(entries, frames -> frames.set(n, frames.get(n).withRecord(BundleFixture.flipped(frames.get(n).record(), at))));
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
