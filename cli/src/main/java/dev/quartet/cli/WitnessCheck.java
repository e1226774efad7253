package dev.quartet.cli;

import dev.quartet.evidence.domain.merkle.MerkleVerifier;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.Checkpoint;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The witness's decision for one verified checkpoint against what it saw last of the same origin
 * (pure: the consistency proof comes from a function, the shell fetches it). A new origin is
 * trusted on first sight; the same size must have the same root; a larger one must be proven to
 * extend the last (RFC 9162 consistency); a smaller one must be proven a prefix of it.
 */
final class WitnessCheck {
  private WitnessCheck() {}

  /** What the witness concludes. */
  sealed interface Outcome permits Outcome.FirstSeen, Outcome.Unchanged, Outcome.Extended, Outcome.Older, Outcome.Forked {
    /** An origin seen for the first time. */
    record FirstSeen(WitnessState.Seen now) implements Outcome {}

    /** The same size and root as last time. */
    record Unchanged() implements Outcome {}

    /** A larger tree proven to extend the last one. */
    record Extended(WitnessState.Seen now) implements Outcome {}

    /** A smaller tree proven to be a prefix of the last one (an old checkpoint replayed): nothing changes. */
    record Older() implements Outcome {}

    /**
     * The log showed two incompatible views: {@code kind} is {@value #SPLIT_VIEW} (same size,
     * different root) or {@value #FORK} (history rewritten: no valid consistency proof).
     */
    record Forked(String kind, String origin, WitnessState.Seen seen, long size, String rootHex, String signedNote,
                  String reason) implements Outcome {
      static final String SPLIT_VIEW = "evidence.split-view";
      static final String FORK = "evidence.fork";

      /** One line naming origin, sizes and roots. */
      String line() {
        return kind + ": log " + origin + " showed size " + seen.size() + " root " + seen.rootHex() + " and size " + size
            + " root " + rootHex + " (" + reason + ")";
      }
    }
  }

  /**
   * Judges {@code checkpoint} (already verified against the trust root) against {@code last}.
   *
   * @param consistency proof hashes that the tree of the first size extends to the second, as the log serves them
   */
  static Outcome observe(WitnessState.Seen last, Checkpoint checkpoint, String signedNote,
                         BiFunction<Long, Long, List<byte[]>> consistency) {
    String rootHex = HexFormat.of().formatHex(checkpoint.rootHash());
    WitnessState.Seen now = new WitnessState.Seen(checkpoint.treeSize(), rootHex, signedNote);
    if (last == null) {
      return new Outcome.FirstSeen(now);
    }
    if (checkpoint.treeSize() == last.size()) {
      if (Arrays.equals(checkpoint.rootHash(), last.root())) {
        return new Outcome.Unchanged();
      }
      return forked(Outcome.Forked.SPLIT_VIEW, checkpoint, last, now, "two roots for one size");
    }
    boolean grew = checkpoint.treeSize() > last.size();
    long from = grew ? last.size() : checkpoint.treeSize();
    long to = grew ? checkpoint.treeSize() : last.size();
    byte[] fromRoot = grew ? last.root() : checkpoint.rootHash();
    byte[] toRoot = grew ? checkpoint.rootHash() : last.root();
    List<byte[]> proof;
    try {
      proof = consistency.apply(from, to);
    } catch (CliFailure e) {
      if (e.exitCode() == dev.quartet.contracts.ExitCode.UNAVAILABLE) {
        throw e;  // the log is unreachable or overloaded: nothing is proven either way, try again later
      }
      // A log that cannot prove its own growth has not shown that it grew honestly.
      return forked(Outcome.Forked.FORK, checkpoint, last, now, "no consistency proof " + from + " -> " + to + ": "
          + e.getMessage());
    }
    Verification v = MerkleVerifier.verifyConsistency(from, to, proof, fromRoot, toRoot);
    if (v instanceof Verification.Failed f) {
      return forked(Outcome.Forked.FORK, checkpoint, last, now, "consistency " + from + " -> " + to + " fails at "
          + f.step() + ": " + f.reason());
    }
    return grew ? new Outcome.Extended(now) : new Outcome.Older();
  }

  private static Outcome forked(String kind, Checkpoint checkpoint, WitnessState.Seen last, WitnessState.Seen now,
                                String reason) {
    return new Outcome.Forked(kind, checkpoint.origin(), last, now.size(), now.rootHex(), now.signedNote(), reason);
  }
}
