package dev.quartet.evidence.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import dev.quartet.evidence.domain.note.SignedNote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signing the tree state as a C2SP checkpoint and opening it again, as a witness or offline verifier would. */
class CheckpointSignerTest {
  private static final String ORIGIN = "quartet.example/evidence/0";
  private static final NoteSigner LOG_KEY = NoteSigner.of(ORIGIN, filled(7));
  private static final NoteSigner OTHER_KEY = NoteSigner.of(ORIGIN, filled(8));
  private static final List<byte[]> LEAVES = leaves(21);

  @Test
  void signedCheckpointCarriesTheStateAndVerifiesUnderTheLogKey() {
    CompactRange state = stateAt(13);
    EvidenceCheckpoint cp = new CheckpointSigner(ORIGIN, LOG_KEY).sign(state);
    assertEquals(13, cp.treeSize());
    assertArrayEquals(state.root(), cp.rootHash());
    assertTrue(cp.signedNote().startsWith(ORIGIN + "\n13\n"), "note begins with the checkpoint body: " + cp.signedNote());
    CheckpointVerification v = verifier().verify(cp.signedNote().getBytes(StandardCharsets.UTF_8));
    CheckpointVerification.Verified ok = assertInstanceOf(CheckpointVerification.Verified.class, v, "expected Verified, got " + v);
    assertEquals(cp, ok.at());
  }

  @Test
  void signingIsDeterministic() {
    CheckpointSigner signer = new CheckpointSigner(ORIGIN, LOG_KEY);
    assertEquals(signer.sign(stateAt(5)), signer.sign(CompactRange.fromBytes(stateAt(5).toBytes())));
  }

  @Test
  void emptyTreeCheckpointHasSizeZeroAndTheEmptyRoot() {
    EvidenceCheckpoint cp = new CheckpointSigner(ORIGIN, LOG_KEY).sign(CompactRange.empty());
    assertEquals(ORIGIN + "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", cp.note().text());
  }

  @Test
  void checkpointFromAnotherKeyOrOriginOrAlteredFails() {
    byte[] otherKey = bytes(new CheckpointSigner(ORIGIN, OTHER_KEY).sign(stateAt(3)));
    assertStep("note.signatures", verifier().verify(otherKey));
    NoteSigner foreignLog = NoteSigner.of("other.example/log", filled(7));
    byte[] otherOrigin = bytes(new CheckpointSigner("other.example/log", foreignLog).sign(stateAt(3)));
    CheckpointVerifier trustsForeignKey = new CheckpointVerifier(ORIGIN, NoteVerifiers.of(List.of(foreignLog.verifier())));
    assertStep("checkpoint", trustsForeignKey.verify(otherOrigin));
    String good = new CheckpointSigner(ORIGIN, LOG_KEY).sign(stateAt(3)).signedNote();
    assertStep("note.signature[0]", verifier().verify(good.replace("\n3\n", "\n4\n").getBytes(StandardCharsets.UTF_8)));
    assertStep("note.parse", verifier().verify("garbage".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void evidenceCheckpointRefusesANoteThatDisagreesWithItsFields() {
    EvidenceCheckpoint cp = new CheckpointSigner(ORIGIN, LOG_KEY).sign(stateAt(4));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceCheckpoint(ORIGIN, 5, cp.rootHash(), cp.signedNote()));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceCheckpoint(ORIGIN, 4, stateAt(3).root(), cp.signedNote()));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceCheckpoint("other.example", 4, cp.rootHash(), cp.signedNote()));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceCheckpoint(ORIGIN, 4, Arrays.copyOf(cp.rootHash(), 31), cp.signedNote()));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceCheckpoint(ORIGIN, 4, cp.rootHash(), cp.note().text()));
  }

  @Test
  void signerRefusesAnOriginThatCannotBeACheckpointLine() {
    assertThrows(IllegalArgumentException.class, () -> new CheckpointSigner("", LOG_KEY));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointSigner("two\nlines", LOG_KEY));
  }

  @Test
  void inclusionAndConsistencyAreCheckedAgainstSignedCheckpoints() {
    CheckpointSigner signer = new CheckpointSigner(ORIGIN, LOG_KEY);
    EvidenceCheckpoint old = signer.sign(stateAt(8));
    EvidenceCheckpoint now = signer.sign(stateAt(21));
    LeafHashes view = LeafHashes.of(LEAVES);
    assertEquals(Verification.VERIFIED, now.verifyInclusion(InclusionProof.of(view, 17, 21), LEAVES.get(17)));
    assertEquals(Verification.VERIFIED, old.verifyConsistency(ConsistencyProof.of(view, 8, 21), now));
    Verification.Failed wrongSize = assertInstanceOf(Verification.Failed.class,
        old.verifyInclusion(InclusionProof.of(view, 3, 21), LEAVES.get(3)));
    assertEquals("tree size", wrongSize.step(), wrongSize.reason());
    assertInstanceOf(Verification.Failed.class, now.verifyConsistency(ConsistencyProof.of(view, 8, 21), old), "backwards");
  }

  @Test
  void publishedNoteIsAStandardSignedNote() {
    EvidenceCheckpoint cp = new CheckpointSigner(ORIGIN, LOG_KEY).sign(stateAt(2));
    SignedNote note = SignedNote.parse(cp.signedNote());
    assertEquals(1, note.signatures().size());
    assertEquals(ORIGIN, note.signatures().get(0).keyName());
    assertEquals(LOG_KEY.keyId(), note.signatures().get(0).keyId());
    assertEquals(cp.signedNote(), note.format());
  }

  private static CheckpointVerifier verifier() {
    return new CheckpointVerifier(ORIGIN, NoteVerifiers.of(List.of(LOG_KEY.verifier())));
  }

  private static void assertStep(String step, CheckpointVerification v) {
    CheckpointVerification.Failed f = assertInstanceOf(CheckpointVerification.Failed.class, v, "expected Failed at " + step + ", got " + v);
    assertEquals(step, f.step(), "failing step (reason: " + f.reason() + ")");
  }

  private static CompactRange stateAt(int n) {
    CompactRange s = CompactRange.empty();
    for (int i = 0; i < n; i++) {
      s = s.append(LEAVES.get(i));
    }
    return s;
  }

  private static byte[] bytes(EvidenceCheckpoint cp) {
    return cp.signedNote().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(LeafHash.of(("event " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
