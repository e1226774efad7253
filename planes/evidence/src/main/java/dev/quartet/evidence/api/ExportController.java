package dev.quartet.evidence.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.contracts.trust.KeyId;
import dev.quartet.evidence.config.CheckpointSettings;
import dev.quartet.evidence.domain.EvidenceLeaf;
import dev.quartet.evidence.domain.EvidenceRecords;
import dev.quartet.evidence.domain.PartitionCheckpoint;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.evidence.domain.note.NoteVerifier;
import dev.quartet.evidence.store.CheckpointStore;
import dev.quartet.evidence.store.MerkleLogStore;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What an export bundle needs besides proofs: each event's leaf data (the record's exact bytes,
 * read back from the topic) and the public keys that sign this log's checkpoints.
 */
@Controller("/v1/evidence")
@Secured({Roles.ADMIN, Roles.AUDITOR})
public class ExportController {
  private static final Logger log = LoggerFactory.getLogger(ExportController.class);
  private final MerkleLogStore merkleLog;
  private final CheckpointStore checkpoints;
  private final EvidenceRecords records;
  private final NoteVerifier verifier;
  private final String originPrefix;

  ExportController(MerkleLogStore merkleLog, CheckpointStore checkpoints, EvidenceRecords records, NoteSigner signer,
                   CheckpointSettings settings) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    this.records = records;
    this.verifier = signer.verifier();
    this.originPrefix = settings.originPrefix();
  }

  /** The leaf of event {@code id}: position, hash and exact bytes, checked against the stored hash before it is served. */
  @Get("/events/{id}/leaf")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public LeafView leaf(Authentication who, @PathVariable String id) {
    // Another tenant's event answers like an unknown one, as for proofs.
    EvidenceLeaf leaf = merkleLog.leafOf(id).filter(l -> TenantScope.allows(who, l.tenant()))
        .map(MerkleLogStore.LocatedLeaf::leaf)
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no evidence event " + id + " in the log"));
    byte[] value;
    try {
      value = records.valueAt(leaf.partition(), leaf.offset()).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
          "the evidence topic no longer holds event " + id + " (partition " + leaf.partition() + " offset " + leaf.offset() + ")"));
    } catch (IllegalStateException e) {
      log.warn("Cannot read evidence {} at partition {} offset {}: {}", id, leaf.partition(), leaf.offset(), e.toString());
      throw new ProblemException(ProblemType.UNAVAILABLE, "the evidence topic could not be read; retry later");
    }
    if (!Arrays.equals(LeafHash.of(value), leaf.leafHash())) {
      // The topic and the log disagree about a leaf: one of them was altered. A human must look.
      log.error("Evidence {} at partition {} offset {}: record bytes do not hash to the stored leaf {}", id,
          leaf.partition(), leaf.offset(), HexFormat.of().formatHex(leaf.leafHash()));
      throw new ProblemException(ProblemType.INTERNAL, "the stored evidence log failed its own verification");
    }
    Long covering = checkpoints.firstCovering(leaf.partition(), leaf.leafIndex()).map(PartitionCheckpoint::treeSize).orElse(null);
    return new LeafView(id, leaf.partition(), leaf.offset(), leaf.leafIndex(), HexFormat.of().formatHex(leaf.leafHash()),
        Base64.getEncoder().encodeToString(value), covering);
  }

  /** The checkpoint verifier key(s) of this log; trust comes from the trust root's checkpointKeys, not from here. */
  @Get("/keys")
  public LogKeysView keys() {
    byte[] raw = verifier.publicKey();
    NoteKeyView key = new NoteKeyView(verifier.name(), String.format("%08x", verifier.keyId()), verifier.vkey(),
        Base64.getEncoder().encodeToString(raw), KeyId.of(raw).hex());
    return new LogKeysView(originPrefix, List.of(key));
  }
}
