package dev.quartet.evidence.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.evidence.config.ProofSettings;
import dev.quartet.evidence.domain.EvidenceLeaf;
import dev.quartet.evidence.domain.PartitionCheckpoint;
import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.store.CheckpointStore;
import dev.quartet.evidence.store.MerkleLogStore;
import dev.quartet.runtime.OverloadedException;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Auditors' and witnesses' view of the log's integrity: signed checkpoints per partition,
 * inclusion proofs of events and consistency proofs between sizes (RFC 9162). Every proof is
 * checked against the plane's own signed root before it is served.
 */
@Controller("/v1/evidence")
@Secured({Roles.ADMIN, Roles.AUDITOR})
public class ProofController {
  private static final Logger log = LoggerFactory.getLogger(ProofController.class);
  private final MerkleLogStore merkleLog;
  private final CheckpointStore checkpoints;
  private final ProofSettings settings;
  private final Semaphore proofs;

  ProofController(MerkleLogStore merkleLog, CheckpointStore checkpoints, ProofSettings settings) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    this.settings = settings;
    this.proofs = new Semaphore(settings.maxConcurrent());
  }

  /** The latest signed checkpoint of every partition that has one: what a witness follows. */
  @Get("/checkpoints")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public List<CheckpointView> latestOfEach() {
    return checkpoints.latestOfEach().stream().map(CheckpointView::of).toList();
  }

  /** The partition's latest signed checkpoint. */
  @Get("/checkpoints/{partition}/latest")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public CheckpointView latest(@PathVariable String partition) {
    int p = partition(partition);
    return CheckpointView.of(checkpoints.latest(p)
        .orElseThrow(() -> notFound("partition " + p + " has no signed checkpoint yet")));
  }

  /** The partition's signed checkpoint of exactly {@code size} leaves. */
  @Get("/checkpoints/{partition}{?size}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public CheckpointView checkpoint(@PathVariable String partition, @Nullable @QueryValue String size) {
    int p = partition(partition);
    if (size == null) {
      throw invalid("size is required; the latest checkpoint is at /v1/evidence/checkpoints/" + p + "/latest");
    }
    return CheckpointView.of(checkpointOf(p, size("size", size)));
  }

  /** Inclusion proof of event {@code id} against the checkpoint of {@code size} leaves (default: the latest). */
  @Get("/events/{id}/proof{?size}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public InclusionProofView inclusion(Authentication who, @PathVariable String id, @Nullable @QueryValue String size) {
    // Another tenant's event answers like an unknown one: its existence is not for this principal.
    EvidenceLeaf leaf = merkleLog.leafOf(id).filter(l -> TenantScope.allows(who, l.tenant()))
        .map(MerkleLogStore.LocatedLeaf::leaf)
        .orElseThrow(() -> notFound("no evidence event " + id + " in the log"));
    int p = leaf.partition();
    PartitionCheckpoint cp = size == null
        ? checkpoints.latest(p).orElseThrow(() -> notFound("partition " + p + " has no signed checkpoint yet"))
        : checkpointOf(p, size("size", size));
    if (leaf.leafIndex() >= cp.treeSize()) {
      throw notFound("event " + id + " is leaf " + leaf.leafIndex() + " of partition " + p + "; the checkpoint of size "
          + cp.treeSize() + " does not include it" + (size == null ? " yet" : ""));
    }
    InclusionProof proof = prove(p, leaves -> MerkleProver.inclusion(leaves, leaf.leafIndex(), cp.treeSize()));
    selfCheck(cp.checkpoint().verifyInclusion(proof, leaf.leafHash()), "inclusion of " + id, cp);
    return new InclusionProofView(id, p, leaf.offset(), leaf.leafIndex(), cp.treeSize(),
        HexFormat.of().formatHex(leaf.leafHash()), hex(proof.hashes()), CheckpointView.of(cp));
  }

  /** Consistency proof that the partition's log of {@code to} leaves extends that of {@code from} leaves. */
  @Get("/consistency/{partition}{?from,to}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public ConsistencyProofView consistency(@PathVariable String partition, @Nullable @QueryValue String from,
                                          @Nullable @QueryValue String to) {
    int p = partition(partition);
    if (from == null || to == null) {
      throw invalid("from and to are both required");
    }
    long a = size("from", from);
    long b = size("to", to);
    if (a > b) {
      throw invalid("from (" + a + ") must not exceed to (" + b + ")");
    }
    Optional<PartitionCheckpoint> newest = checkpoints.latest(p);
    // Proofs only reach sizes a signed checkpoint covers: an unsigned root proves nothing to anyone.
    if (newest.isEmpty() || newest.get().treeSize() < b) {
      throw notFound("partition " + p + " has no signed checkpoint of size " + b + " or more yet");
    }
    ConsistencyProof proof = prove(p, leaves -> MerkleProver.consistency(leaves, a, b));
    Optional<PartitionCheckpoint> older = checkpoints.at(p, a);
    Optional<PartitionCheckpoint> newer = checkpoints.at(p, b);
    if (older.isPresent() && newer.isPresent()) {
      selfCheck(older.get().checkpoint().verifyConsistency(proof, newer.get().checkpoint()), "consistency " + a + "->" + b,
          newer.get());
    }
    return new ConsistencyProofView(p, a, b, hex(proof.hashes()));
  }

  private <T> T prove(int partition, Function<LeafHashes, T> proof) {
    if (!proofs.tryAcquire()) {
      throw new OverloadedException("concurrent evidence proofs (" + settings.maxConcurrent() + ")", Duration.ofSeconds(1));
    }
    try {
      return merkleLog.withLeaves(partition, settings.leafBlock(), proof);
    } finally {
      proofs.release();
    }
  }

  private PartitionCheckpoint checkpointOf(int partition, long size) {
    return checkpoints.at(partition, size)
        .orElseThrow(() -> notFound("partition " + partition + " has no signed checkpoint of size " + size));
  }

  /** A proof from our own leaves that fails against our own signed root means the stored log is damaged: a server fault. */
  private static void selfCheck(Verification v, String what, PartitionCheckpoint cp) {
    if (v instanceof Verification.Failed f) {
      log.error("Proof of {} does not verify against {} (step {}: {}): the stored log of partition {} is damaged",
          what, cp.checkpoint(), f.step(), f.reason(), cp.partition());
      throw new ProblemException(ProblemType.INTERNAL, "the stored evidence log failed its own verification");
    }
  }

  private static int partition(String value) {
    try {
      int p = Integer.parseInt(value);
      if (p >= 0) {
        return p;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid("partition must be a non-negative integer, was " + value);
  }

  private static long size(String name, String value) {
    try {
      long n = Long.parseLong(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(name + " must be a tree size of at least 1, was " + value);
  }

  private static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(HexFormat.of()::formatHex).toList();
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemType.VALIDATION, detail);
  }

  private static ProblemException notFound(String detail) {
    return new ProblemException(ProblemType.NOT_FOUND, detail);
  }
}
