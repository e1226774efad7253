package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import dev.quartet.evidence.domain.merkle.MerkleRoot;
import dev.quartet.evidence.domain.note.Checkpoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The witness's judgement, on seeded random logs: honest growth passes, every kind of second view is caught. */
class WitnessCheckTest {
  private static final String ORIGIN = "test.quartet.dev/evidence/0";

  @Test
  void honestGrowthIsConsistentAndAnOldCheckpointIsAPrefix() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<byte[]> log = leaves(random, 1 + random.nextInt(200));
    int a = 1 + random.nextInt(log.size());
    int b = a + random.nextInt(log.size() - a + 1);
    WitnessState.Seen first = seen(log, a);
    WitnessCheck.Outcome grown = WitnessCheck.observe(first, checkpoint(log, b), "note", proofs(log));
    if (a == b) {
      assertInstanceOf(WitnessCheck.Outcome.Unchanged.class, grown, "seed " + seed);
    } else {
      assertEquals(b, assertInstanceOf(WitnessCheck.Outcome.Extended.class, grown, "seed " + seed).now().size());
      assertInstanceOf(WitnessCheck.Outcome.Older.class,
          WitnessCheck.observe(seen(log, b), checkpoint(log, a), "note", proofs(log)), "replayed old checkpoint; seed " + seed);
    }
    assertInstanceOf(WitnessCheck.Outcome.FirstSeen.class, WitnessCheck.observe(null, checkpoint(log, b), "note", proofs(log)));
  }

  @Test
  void anotherRootForASizeAlreadySeenIsASplitView() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<byte[]> log = leaves(random, 1 + random.nextInt(100));
    List<byte[]> other = new ArrayList<>(log);
    other.set(random.nextInt(other.size()), LeafHash.of(("other " + seed).getBytes(StandardCharsets.UTF_8)));
    var fork = assertInstanceOf(WitnessCheck.Outcome.Forked.class,
        WitnessCheck.observe(seen(log, log.size()), checkpoint(other, other.size()), "forged", proofs(other)), "seed " + seed);
    assertEquals(WitnessCheck.Outcome.Forked.SPLIT_VIEW, fork.kind());
    assertTrue(fork.line().startsWith("evidence.split-view: log " + ORIGIN + " showed size " + log.size() + " root "),
        fork.line());
  }

  @Test
  void aLargerTreeThatDoesNotExtendTheSeenOneIsAFork() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<byte[]> log = leaves(random, 2 + random.nextInt(100));
    int seenSize = 1 + random.nextInt(log.size() - 1);
    List<byte[]> rewritten = new ArrayList<>(log);
    rewritten.set(random.nextInt(seenSize), LeafHash.of(("rewritten " + seed).getBytes(StandardCharsets.UTF_8)));
    // The rewritten log proves its own consistency honestly: the proof is valid for it, never for what the witness saw.
    var fork = assertInstanceOf(WitnessCheck.Outcome.Forked.class,
        WitnessCheck.observe(seen(log, seenSize), checkpoint(rewritten, rewritten.size()), "forged", proofs(rewritten)),
        "seed " + seed);
    assertEquals(WitnessCheck.Outcome.Forked.FORK, fork.kind(), "seed " + seed);
    var shrunk = assertInstanceOf(WitnessCheck.Outcome.Forked.class,
        WitnessCheck.observe(seen(log, log.size()), checkpoint(rewritten, seenSize), "forged", proofs(rewritten)),
        "a smaller tree that is not a prefix; seed " + seed);
    assertEquals(WitnessCheck.Outcome.Forked.FORK, shrunk.kind());
  }

  @Test
  void aLogThatRefusesAProofIsAForkButAnUnreachableOneIsNot() {
    List<byte[]> log = leaves(new Random(3), 9);
    BiFunction<Long, Long, List<byte[]>> refused = (a, b) -> {
      throw new CliFailure(ExitCode.REJECTED, "server answered 404");
    };
    assertInstanceOf(WitnessCheck.Outcome.Forked.class, WitnessCheck.observe(seen(log, 4), checkpoint(log, 9), "n", refused));
    BiFunction<Long, Long, List<byte[]>> down = (a, b) -> {
      throw new CliFailure(ExitCode.UNAVAILABLE, "cannot reach");
    };
    assertThrows(CliFailure.class, () -> WitnessCheck.observe(seen(log, 4), checkpoint(log, 9), "n", down));
  }

  private static List<byte[]> leaves(Random random, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[16];
      random.nextBytes(data);
      out.add(LeafHash.of(data));
    }
    return out;
  }

  private static Checkpoint checkpoint(List<byte[]> log, long size) {
    return new Checkpoint(ORIGIN, size, MerkleRoot.of(LeafHashes.of(log), size), List.of());
  }

  private static WitnessState.Seen seen(List<byte[]> log, long size) {
    return new WitnessState.Seen(size, HexFormat.of().formatHex(MerkleRoot.of(LeafHashes.of(log), size)), "note");
  }

  private static BiFunction<Long, Long, List<byte[]>> proofs(List<byte[]> log) {
    return (a, b) -> MerkleProver.consistency(LeafHashes.of(log), a, b).hashes();
  }
}
