package dev.quartet.data;

import dev.quartet.data.config.BackpressureSettings;
import dev.quartet.data.config.EncryptionSettings;
import dev.quartet.data.config.SignedUrlSettings;
import dev.quartet.data.domain.DataAccessPolicy;
import dev.quartet.data.domain.InFlightBudget;
import dev.quartet.data.domain.UrlSigner;
import dev.quartet.data.store.UrlSigningKey;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Beans of the data plane built from settings rather than discovered. */
@Factory
public class DataPlaneWiring {
  /** The process-wide bound on upload bytes in flight. */
  @Singleton
  public InFlightBudget inFlightBudget(BackpressureSettings settings) {
    return new InFlightBudget(settings.maxInFlightBytes());
  }

  /**
   * Data access by the per-classification data roles only: platform ADMIN rights clear no payload
   * (SPEC: data access is authorized independently of control-plane admin rights).
   */
  @Singleton
  public DataAccessPolicy dataAccessPolicy() {
    return DataAccessPolicy.perClassification();
  }

  /** The signer of blob and upload-slot URLs, with the configured or generated key. */
  @Singleton
  public UrlSigner urlSigner(SignedUrlSettings urls, EncryptionSettings encryption) {
    return new UrlSigner(UrlSigningKey.load(urls, encryption));
  }
}
