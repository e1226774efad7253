package dev.quartet.runtime;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import io.micronaut.core.async.publisher.Publishers;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Readiness: the plane can reach a Kafka broker within the request timeout. */
@Singleton
@Readiness
public class KafkaReadiness implements HealthIndicator {
  private final Admin admin;
  private final KafkaSettings kafka;

  KafkaReadiness(Admin admin, KafkaSettings kafka) {
    this.admin = admin;
    this.kafka = kafka;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    long timeout = kafka.requestTimeout().toMillis();
    HealthResult result;
    try {
      int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout))
          .nodes().get(timeout, TimeUnit.MILLISECONDS).size();
      result = HealthResult.builder("kafka", brokers > 0 ? HealthStatus.UP : HealthStatus.DOWN)
          .details(Map.of("brokers", brokers)).build();
    } catch (Exception e) {
      result = HealthResult.builder("kafka", HealthStatus.DOWN)
          .details(Map.of("error", e.getClass().getSimpleName())).build();
    }
    return Publishers.just(result);
  }
}
