package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The S3-compatible blob store, selected with {@code quartet.data.blob-store.type=s3}.
 *
 * @param endpoint the service URL (e.g. {@code https://s3.eu-west-1.amazonaws.com}, or a MinIO URL)
 * @param region the signing region
 * @param bucket the bucket holding the blobs
 * @param prefix key prefix inside the bucket (may be empty)
 * @param accessKey access key id; blank to use the SDK's default credential chain
 * @param secretKey secret access key (never logged)
 * @param pathStyle path-style addressing, as MinIO and other S3-compatible stores expect
 * @param requestTimeout bound of one request to the store
 */
@ConfigurationProperties("quartet.data.blob-store.s3")
public record S3BlobStoreSettings(@NotBlank String endpoint, @NotBlank String region, @NotBlank String bucket,
                                  @Nullable String prefix, @Nullable String accessKey, @Nullable String secretKey,
                                  boolean pathStyle, @NotNull Duration requestTimeout) {
  @Override
  public String toString() {
    return "S3BlobStoreSettings[" + endpoint + " " + region + " " + bucket + "/" + (prefix == null ? "" : prefix) + "]";
  }
}
