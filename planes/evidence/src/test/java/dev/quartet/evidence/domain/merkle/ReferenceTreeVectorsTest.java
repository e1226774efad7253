package dev.quartet.evidence.domain.merkle;

import static dev.quartet.evidence.domain.SharedVectors.hex;
import static dev.quartet.evidence.domain.SharedVectors.hexList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.evidence.domain.SharedVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classic 8-leaf RFC 6962 tree of transparency-dev/merkle (vectors/merkle/rfc6962_reference_tree.json). */
class ReferenceTreeVectorsTest {
  private static final JsonNode TREE = SharedVectors.json("merkle/rfc6962_reference_tree.json");
  private static final List<byte[]> LEAF_HASHES = hexList(TREE.get("leaf_hashes_hex"));
  private static final LeafHashes LEAVES = LeafHashes.of(LEAF_HASHES);

  @Test
  void hasherMatchesPublishedVectors() {
    int checked = 0;
    for (JsonNode v : TREE.get("hasher_unit_vectors").get("vectors")) {
      byte[] got = switch (v.get("op").asText()) {
        case "empty_root" -> NodeHash.emptyRoot();
        case "hash_leaf" -> LeafHash.of(ascii(v.get("input_ascii")));
        // The Go test feeds short ASCII strings as children; NodeHash.of demands 32-byte hashes,
        // so this goes through the unchecked formula it wraps.
        case "hash_children" -> NodeHash.ofAnyLength(ascii(v.get("left_ascii")), ascii(v.get("right_ascii")));
        default -> throw new AssertionError("unknown op " + v.get("op"));
      };
      assertEquals(v.get("want").asText(), hex(got), v.get("desc").asText());
      checked++;
    }
    assertEquals(4, checked, "hasher vectors checked");
  }

  @Test
  void leafHashesOfPublishedLeavesMatch() {
    List<byte[]> leaves = hexList(TREE.get("leaves_hex"));
    for (int i = 0; i < leaves.size(); i++) {
      assertEquals(hex(LEAF_HASHES.get(i)), hex(LeafHash.of(leaves.get(i))), "leaf hash " + i);
    }
  }

  @Test
  void rootsForEverySizeMatchByWholeTreeAndByCompactRange() {
    CompactRange state = CompactRange.empty();
    Iterator<Map.Entry<String, JsonNode>> roots = TREE.get("roots_by_tree_size").fields();
    int checked = 0;
    while (roots.hasNext()) {
      Map.Entry<String, JsonNode> e = roots.next();
      int size = Integer.parseInt(e.getKey());
      while (state.size() < size) {
        state = state.append(LEAF_HASHES.get((int) state.size()));
      }
      assertEquals(e.getValue().asText(), hex(MerkleRoot.of(LEAVES, size)), "MerkleRoot.of size " + size);
      assertEquals(e.getValue().asText(), hex(state.root()), "CompactRange root at size " + size);
      checked++;
    }
    assertEquals(9, checked, "roots for sizes 0..8");
  }

  @Test
  void subtreeHashesMatchEveryLevel() {
    JsonNode levels = TREE.get("node_hashes_by_level").get("levels");
    int checked = 0;
    for (int level = 0; level < levels.size(); level++) {
      long width = 1L << level;
      for (int i = 0; i < levels.get(level).size(); i++) {
        byte[] got = MerkleRoot.ofRange(LEAVES, i * width, (i + 1) * width);
        assertEquals(levels.get(level).get(i).asText(), hex(got), "subtree level " + level + " index " + i);
        checked++;
      }
    }
    assertEquals(15, checked, "subtree hashes (8+4+2+1)");
  }

  @Test
  void inclusionProofsAreGeneratedAndVerifiedAsPublished() {
    int checked = 0;
    for (JsonNode v : TREE.get("inclusion_proofs")) {
      long index = v.get("leaf_index").asLong();
      long size = v.get("tree_size").asLong();
      byte[] leafHash = LeafHash.of(hex(v.get("leaf_hex")));
      List<byte[]> want = hexList(v.get("proof"));
      InclusionProof made = MerkleProver.inclusion(LEAVES, index, size);
      assertEquals(new InclusionProof(index, size, want), made, "generated proof for leaf " + index + " of " + size);
      Verification result = MerkleVerifier.verifyInclusion(index, size, leafHash, want, hex(v.get("root")));
      assertEquals(Verification.VERIFIED, result, "published proof for leaf " + index + " of " + size);
      checked++;
    }
    assertEquals(5, checked, "inclusion vectors");
  }

  @Test
  void consistencyProofsAreGeneratedAndVerifiedAsPublished() {
    int checked = 0;
    for (JsonNode v : TREE.get("consistency_proofs")) {
      long size1 = v.get("size1").asLong();
      long size2 = v.get("size2").asLong();
      List<byte[]> want = hexList(v.get("proof"));
      assertEquals(new ConsistencyProof(size1, size2, want), MerkleProver.consistency(LEAVES, size1, size2),
          "generated proof " + size1 + " -> " + size2);
      Verification result = MerkleVerifier.verifyConsistency(size1, size2, want, hex(v.get("root1")), hex(v.get("root2")));
      assertEquals(Verification.VERIFIED, result, "published proof " + size1 + " -> " + size2);
      checked++;
    }
    assertEquals(5, checked, "consistency vectors");
  }

  @Test
  void everySingleBitFlipOfAPublishedProofFails() {
    for (JsonNode v : TREE.get("inclusion_proofs")) {
      List<byte[]> proof = hexList(v.get("proof"));
      byte[] leafHash = LeafHash.of(hex(v.get("leaf_hex")));
      for (int h = 0; h < proof.size(); h++) {
        for (int bit = 0; bit < NodeHash.BYTES * 8; bit++) {
          Verification r = MerkleVerifier.verifyInclusion(v.get("leaf_index").asLong(), v.get("tree_size").asLong(),
              leafHash, flip(proof, h, bit), hex(v.get("root")));
          assertInstanceOf(Verification.Failed.class, r, "inclusion " + v + " with hash " + h + " bit " + bit + " flipped");
        }
      }
    }
    for (JsonNode v : TREE.get("consistency_proofs")) {
      List<byte[]> proof = hexList(v.get("proof"));
      for (int h = 0; h < proof.size(); h++) {
        for (int bit = 0; bit < NodeHash.BYTES * 8; bit++) {
          Verification r = MerkleVerifier.verifyConsistency(v.get("size1").asLong(), v.get("size2").asLong(),
              flip(proof, h, bit), hex(v.get("root1")), hex(v.get("root2")));
          assertFalse(r.isVerified(), "consistency " + v + " with hash " + h + " bit " + bit + " flipped");
        }
      }
    }
  }

  static List<byte[]> flip(List<byte[]> proof, int hash, int bit) {
    List<byte[]> out = new ArrayList<>();
    proof.forEach(p -> out.add(p.clone()));
    out.get(hash)[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  private static byte[] ascii(JsonNode n) {
    return n.asText().getBytes(StandardCharsets.US_ASCII);
  }
}
