package dev.quartet.evidence.domain.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stated preconditions of the verify functions: each violation is a Failed value naming its step, never an exception. */
class MerkleVerifierTest {
  private static final List<byte[]> LEAVES = leaves(8);
  private static final LeafHashes VIEW = LeafHashes.of(LEAVES);
  private static final byte[] ROOT8 = MerkleRoot.of(VIEW, 8);
  private static final byte[] ROOT5 = MerkleRoot.of(VIEW, 5);

  @Test
  void acceptsAGoodInclusionProof() {
    InclusionProof p = MerkleProver.inclusion(VIEW, 3, 8);
    assertEquals(Verification.VERIFIED, p.verify(LEAVES.get(3), ROOT8));
  }

  @Test
  void rejectsIndexAtOrBeyondSize() {
    List<byte[]> proof = MerkleProver.inclusion(VIEW, 7, 8).hashes();
    assertStep("index", MerkleVerifier.verifyInclusion(8, 8, LEAVES.get(7), proof, ROOT8));
    assertStep("index", MerkleVerifier.verifyInclusion(-1, 8, LEAVES.get(7), proof, ROOT8));
    assertStep("index", MerkleVerifier.verifyInclusion(0, 0, LEAVES.get(0), List.of(), NodeHash.emptyRoot()));
  }

  @Test
  void rejectsWrongLengthLeafRootAndProofHashes() {
    List<byte[]> proof = MerkleProver.inclusion(VIEW, 2, 8).hashes();
    assertStep("leaf hash", MerkleVerifier.verifyInclusion(2, 8, Arrays.copyOf(LEAVES.get(2), 31), proof, ROOT8));
    assertStep("leaf hash", MerkleVerifier.verifyInclusion(2, 8, null, proof, ROOT8));
    assertStep("root", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(2), proof, Arrays.copyOf(ROOT8, 33)));
    List<byte[]> shortHash = new ArrayList<>(proof);
    shortHash.set(1, Arrays.copyOf(proof.get(1), 31));
    assertStep("inclusion[1]", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(2), shortHash, ROOT8));
    List<byte[]> nullHash = new ArrayList<>(proof);
    nullHash.set(0, null);
    assertStep("inclusion[0]", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(2), nullHash, ROOT8));
  }

  @Test
  void rejectsProofWithTrailingHash() {
    List<byte[]> proof = new ArrayList<>(MerkleProver.inclusion(VIEW, 2, 8).hashes());
    proof.add(LEAVES.get(0));
    assertStep("proof length", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(2), proof, ROOT8));
  }

  @Test
  void rejectsProofWithMissingHash() {
    List<byte[]> proof = MerkleProver.inclusion(VIEW, 2, 8).hashes();
    assertStep("proof length", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(2), proof.subList(0, 2), ROOT8));
  }

  @Test
  void rejectsASingleLeafTreeProofThatIsNotEmpty() {
    assertStep("proof length", MerkleVerifier.verifyInclusion(0, 1, LEAVES.get(0), List.of(LEAVES.get(1)), LEAVES.get(0)));
    assertEquals(Verification.VERIFIED, MerkleVerifier.verifyInclusion(0, 1, LEAVES.get(0), List.of(), LEAVES.get(0)));
  }

  @Test
  void rootMismatchNamesExpectedAndComputedRoots() {
    List<byte[]> proof = MerkleProver.inclusion(VIEW, 2, 8).hashes();
    Verification.Failed f = assertStep("root", MerkleVerifier.verifyInclusion(2, 8, LEAVES.get(3), proof, ROOT8));
    assertTrue(f.reason().contains("expected " + dev.quartet.evidence.domain.SharedVectors.hex(ROOT8)), f.reason());
  }

  @Test
  void rejectsConsistencyFromSizeZero() {
    assertStep("sizes", MerkleVerifier.verifyConsistency(0, 8, List.of(), NodeHash.emptyRoot(), ROOT8));
    assertStep("sizes", MerkleVerifier.verifyConsistency(0, 0, List.of(), NodeHash.emptyRoot(), NodeHash.emptyRoot()));
  }

  @Test
  void rejectsConsistencyToASmallerTree() {
    assertStep("sizes", MerkleVerifier.verifyConsistency(8, 5, List.of(), ROOT8, ROOT5));
  }

  @Test
  void equalSizesNeedAnEmptyProofAndEqualRoots() {
    assertEquals(Verification.VERIFIED, MerkleVerifier.verifyConsistency(5, 5, List.of(), ROOT5, ROOT5));
    assertStep("proof length", MerkleVerifier.verifyConsistency(5, 5, List.of(LEAVES.get(0)), ROOT5, ROOT5));
    assertStep("root2", MerkleVerifier.verifyConsistency(5, 5, List.of(), ROOT5, ROOT8));
  }

  @Test
  void rejectsEmptyConsistencyProofBetweenDifferentSizes() {
    assertStep("proof length", MerkleVerifier.verifyConsistency(5, 8, List.of(), ROOT5, ROOT8));
  }

  @Test
  void rejectsConsistencyProofWithExtraOrMissingHashes() {
    List<byte[]> proof = MerkleProver.consistency(VIEW, 5, 8).hashes();
    List<byte[]> extra = new ArrayList<>(proof);
    extra.add(LEAVES.get(0));
    assertStep("proof length", MerkleVerifier.verifyConsistency(5, 8, extra, ROOT5, ROOT8));
    assertStep("proof length", MerkleVerifier.verifyConsistency(5, 8, proof.subList(1, proof.size()), ROOT5, ROOT8));
  }

  @Test
  void rejectsWrongLengthConsistencyRootsAndHashes() {
    List<byte[]> proof = MerkleProver.consistency(VIEW, 5, 8).hashes();
    assertStep("root1", MerkleVerifier.verifyConsistency(5, 8, proof, new byte[0], ROOT8));
    assertStep("root2", MerkleVerifier.verifyConsistency(5, 8, proof, ROOT5, Arrays.copyOf(ROOT8, 64)));
    List<byte[]> longHash = new ArrayList<>(proof);
    longHash.set(2, Arrays.copyOf(proof.get(2), 33));
    assertStep("consistency[2]", MerkleVerifier.verifyConsistency(5, 8, longHash, ROOT5, ROOT8));
    assertStep("proof", MerkleVerifier.verifyConsistency(5, 8, null, ROOT5, ROOT8));
  }

  @Test
  void consistencyWithSwappedRootsFailsAtRoot1() {
    List<byte[]> proof = MerkleProver.consistency(VIEW, 5, 8).hashes();
    assertStep("root1", MerkleVerifier.verifyConsistency(5, 8, proof, ROOT8, ROOT5));
  }

  @Test
  void proverRefusesImpossibleRequests() {
    assertThrows(IllegalArgumentException.class, () -> MerkleProver.inclusion(VIEW, 8, 8));
    assertThrows(IllegalArgumentException.class, () -> MerkleProver.inclusion(VIEW, -1, 8));
    assertThrows(IllegalArgumentException.class, () -> MerkleProver.consistency(VIEW, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> MerkleProver.consistency(VIEW, 6, 5));
    assertEquals(List.of(), MerkleProver.consistency(VIEW, 5, 5).hashes(), "equal sizes give an empty proof");
  }

  @Test
  void proverRefusesWrongLengthLeafHashFromStorage() {
    LeafHashes broken = i -> i == 3 ? new byte[31] : LEAVES.get((int) i);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MerkleProver.inclusion(broken, 0, 8));
    assertTrue(e.getMessage().contains("leaf hash 3"), e.getMessage());
  }

  @Test
  void nodeHashRefusesChildrenThatAreNotHashes() {
    assertThrows(IllegalArgumentException.class, () -> NodeHash.of(new byte[31], LEAVES.get(0)));
    assertThrows(IllegalArgumentException.class, () -> NodeHash.of(LEAVES.get(0), null));
  }

  private static Verification.Failed assertStep(String step, Verification v) {
    Verification.Failed f = assertInstanceOf(Verification.Failed.class, v, "expected Failed at " + step + ", got " + v);
    assertEquals(step, f.step(), "failing step (reason: " + f.reason() + ")");
    return f;
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(LeafHash.of(new byte[] {(byte) i}));
    }
    return out;
  }
}
