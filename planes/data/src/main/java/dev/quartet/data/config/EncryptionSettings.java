package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;

/**
 * Where the key-encryption keys live.
 *
 * @param keysDir directory of the KEK keystore ({@code keks.p12}, mode 0600, created on first use)
 * @param keystorePassword password of the keystore; when unset, one is generated on first use
 *     into {@code keks.password} (mode 0600) next to it
 */
@ConfigurationProperties("quartet.data.encryption")
public record EncryptionSettings(@NotBlank String keysDir, @Nullable String keystorePassword) {
  @Override
  public String toString() {
    return "EncryptionSettings[keysDir=" + keysDir + ", keystorePassword=" + (keystorePassword == null ? "unset" : "***") + "]";
  }
}
