package dev.quartet.runtime;

import dev.quartet.contracts.topics.ProvisioningResult;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.topics.TopicProvisioningConfig;
import dev.quartet.contracts.topics.TopicDrift;
import dev.quartet.contracts.topics.TopicProvisioner;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Makes sure every catalog topic exists before a plane uses Kafka. Creation is idempotent, so
 * planes started side by side may all do it; settings that differ from the catalog are reported,
 * one line per setting, and left for an operator (changing a live topic is not a start-up job).
 */
@Context
public class TopicBootstrap {
  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
  private final Admin admin;
  private final KafkaSettings kafka;
  private List<TopicDrift> drift = List.of();

  TopicBootstrap(Admin admin, KafkaSettings kafka) {
    this.admin = admin;
    this.kafka = kafka;
  }

  @PostConstruct
  void ensureTopics() {
    ProvisioningResult result = new TopicProvisioner(admin, TopicProvisioningConfig.DEFAULTS)
        .provision(TopicCatalog.forBrokers(kafka.brokerCount()));
    drift = result.drift();
    drift.forEach(d -> log.warn("Topic settings differ from the catalog: {}", d));
  }

  /** Differences found at start-up; empty when every topic matches the catalog. */
  public List<TopicDrift> drift() {
    return drift;
  }
}
