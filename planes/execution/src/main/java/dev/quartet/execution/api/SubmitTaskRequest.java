package dev.quartet.execution.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * A task submission: the tool, the queue, the input by reference (never its content), parameters,
 * classification, whether evidence is required, and the submitter's idempotency key.
 */
@Serdeable
public record SubmitTaskRequest(@Nullable String type, @Nullable String queue, @Nullable InputRef input,
                                @Nullable Map<String, String> params, @Nullable String classification,
                                @Nullable Boolean evidenceRequired, @Nullable String idempotencyKey,
                                @Nullable Map<String, String> labels, @Nullable String correlationId) {
  /** The input payload as the data plane referenced it. */
  @Serdeable
  public record InputRef(@Nullable String ref, @Nullable String sha256, @Nullable Long size,
                         @Nullable String classification, @Nullable String keyId) {}
}
