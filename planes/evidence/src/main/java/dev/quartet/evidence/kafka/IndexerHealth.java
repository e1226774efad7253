package dev.quartet.evidence.kafka;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/** Readiness: the evidence indexer is consuming (not backing off after a failure). */
@Singleton
@Readiness
public class IndexerHealth implements HealthIndicator {
  private final EvidenceIndexer indexer;

  IndexerHealth(EvidenceIndexer indexer) {
    this.indexer = indexer;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(HealthResult.builder("evidenceIndexer", indexer.running() ? HealthStatus.UP : HealthStatus.DOWN).build());
  }
}
