package dev.quartet.runtime;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;

/** The process-wide Kafka clients: one idempotent, acks=all producer and one admin client. */
@Factory
public class KafkaClientFactory {

  /** The shared producer; Avro single-object bytes in, durable once acknowledged. */
  @Singleton
  @Bean(preDestroy = "close")
  public Producer<byte[], byte[]> producer(KafkaSettings kafka) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "quartet-" + ProcessHandle.current().pid(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.requestTimeout().toMillis()),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The shared admin client, for topic provisioning and readiness. */
  @Singleton
  @Bean(preDestroy = "close")
  public Admin admin(KafkaSettings kafka) {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis()));
  }
}
