package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The local-directory blob store (claim checks).
 *
 * @param dir directory holding the blobs, created on start (mode 0700)
 * @param staleTempAfter temporary files of uploads older than this are removed on start: a crash
 *     mid-upload leaves only such files, never a half-stored blob
 */
@ConfigurationProperties("quartet.data.blob-store")
public record BlobStoreSettings(@NotBlank String dir, @NotNull Duration staleTempAfter) {}
