package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Signed checkpoints of the evidence log.
 *
 * @param everyEvents sign as soon as a partition's tree grew by this many leaves
 * @param every sign every partition whose tree grew at least this often (the round period)
 * @param originPrefix C2SP origin of partition p is this prefix followed by p
 * @param keyName name of the evidence key in signed notes; verifiers need it with the public key
 * @param keyFile the evidence key (PKCS#8 PEM, Ed25519); when absent an ephemeral key is used
 *     whose checkpoints verify against no trust root
 * @param publishTimeout bound on publishing one checkpoint to Kafka
 * @param maxPublishBatch most checkpoints one round publishes (the rest wait for the next round)
 * @param shutdownTimeout how long closing waits for a running round
 */
@ConfigurationProperties("quartet.evidence.checkpoint")
public record CheckpointSettings(@Min(1) long everyEvents,
                                 @NotNull Duration every,
                                 @NotBlank String originPrefix,
                                 @NotBlank String keyName,
                                 @Nullable String keyFile,
                                 @NotNull Duration publishTimeout,
                                 @Min(1) @Max(10_000) int maxPublishBatch,
                                 @NotNull Duration shutdownTimeout) {
  public CheckpointSettings {
    requirePositive(every, "every");
    requirePositive(publishTimeout, "publish-timeout");
    requirePositive(shutdownTimeout, "shutdown-timeout");
  }

  private static void requirePositive(Duration d, String name) {
    if (d != null && (d.isZero() || d.isNegative())) {
      throw new IllegalArgumentException("quartet.evidence.checkpoint." + name + " must be positive, was " + d);
    }
  }
}
