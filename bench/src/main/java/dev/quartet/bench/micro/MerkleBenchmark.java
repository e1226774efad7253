package dev.quartet.bench.micro;

import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import dev.quartet.evidence.domain.merkle.MerkleRoot;
import dev.quartet.evidence.domain.merkle.MerkleVerifier;
import dev.quartet.evidence.domain.merkle.Verification;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The evidence log's Merkle work: an O(log n) append to a partition's compact range (paid per
 * evidence event), and inclusion proof generation and verification (paid per exported event and
 * per offline check; the goal is ≥ 100k verified inclusion proofs/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MerkleBenchmark {
  @Param({"1024", "65536"})
  public int treeSize;

  private CompactRange range;
  private LeafHashes leaves;
  private byte[] root;
  private InclusionProof proof;
  private byte[] provenLeaf;
  private byte[] nextLeaf;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(treeSize);
    List<byte[]> hashes = new ArrayList<>(treeSize);
    CompactRange r = CompactRange.empty();
    for (int i = 0; i < treeSize; i++) {
      byte[] event = new byte[512];
      random.nextBytes(event);
      byte[] h = LeafHash.of(event);
      hashes.add(h);
      r = r.append(h);
    }
    range = r;
    leaves = LeafHashes.of(hashes);
    root = MerkleRoot.of(leaves, treeSize);
    int index = treeSize / 3;
    proof = MerkleProver.inclusion(leaves, index, treeSize);
    provenLeaf = hashes.get(index);
    nextLeaf = hashes.get(0);
  }

  /** One append to a tree of {@code treeSize} leaves (the per-event cost of sequencing). */
  @Benchmark
  public CompactRange append() {
    return range.append(nextLeaf);
  }

  /** Verifying one inclusion proof against a signed root (offline bundle verification). */
  @Benchmark
  public Verification verifyInclusion() {
    return MerkleVerifier.verifyInclusion(proof.leafIndex(), proof.treeSize(), provenLeaf, proof.hashes(), root);
  }

  /** Generating one inclusion proof from the leaf hashes (O(n) hashing today: no stored interior nodes). */
  @Benchmark
  public InclusionProof proveInclusion() {
    next = (next + 7919) % treeSize;
    return MerkleProver.inclusion(leaves, next, treeSize);
  }
}
