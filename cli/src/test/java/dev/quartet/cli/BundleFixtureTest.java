package dev.quartet.cli;

import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The test prover behind big fixtures gives exactly the production prover's proofs. */
class BundleFixtureTest {
  @Test
  void proofTreeMatchesTheProductionProver() {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      leaves.add(LeafHash.of(new byte[] {(byte) i}));
    }
    ProofTree tree = new ProofTree(leaves);
    for (int size = 1; size <= leaves.size(); size++) {
      for (int index = 0; index < size; index++) {
        List<byte[]> expected = MerkleProver.inclusion(LeafHashes.of(leaves), index, size).hashes();
        List<byte[]> actual = tree.inclusion(index, size);
        assertEquals(expected.size(), actual.size(), "proof length of leaf " + index + " in size " + size);
        for (int h = 0; h < expected.size(); h++) {
          assertArrayEquals(expected.get(h), actual.get(h), "hash " + h + " of leaf " + index + " in size " + size);
        }
      }
    }
  }
}
