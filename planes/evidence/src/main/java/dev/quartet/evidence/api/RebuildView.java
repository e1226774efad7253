package dev.quartet.evidence.api;

import dev.quartet.evidence.domain.ProjectionRebuild;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The answer of {@code POST /v1/<plane>/admin/rebuild}, the contract every plane's rebuild
 * follows: which plane, which projections were dropped and rebuilt, how many records were
 * replayed and rows written, and plane-specific checks (here: per partition, the signed root
 * the recomputed leaves were checked against).
 */
@Serdeable
public record RebuildView(String plane, List<String> projections, long records, long rows, long expired,
                          long tookMillis, List<PartitionView> partitions) {
  /** One partition's recomputed leaves and the signed size whose root they matched (0: none to check). */
  @Serdeable
  public record PartitionView(int partition, long leaves, long checkedSize, boolean rootMatches) {}

  static RebuildView of(ProjectionRebuild r, long tookMillis) {
    return new RebuildView("evidence", List.of("evidence_index"), r.records(), r.indexed(), r.expired(), tookMillis,
        r.partitions().stream().map(p -> new PartitionView(p.partition(), p.leaves(), p.checkedSize(), p.rootMatches()))
            .toList());
  }
}
