package dev.quartet.harness;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaRestartIT {

  @Test
  void restartOnTheSameDirectoryKeepsTopicsRecordsAndCommittedOffsets(@TempDir Path dir) throws Exception {
    TopicPartition tp = new TopicPartition("restart-probe", 0);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(tp.topic(), 1, (short) 1))).all().get();
      }
      try (var producer = producer(kafka.bootstrapServers())) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(tp.topic(), "k" + i, "v" + i)).get();
        }
      }
      try (var consumer = consumer(kafka.bootstrapServers())) {
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(7)));
      }
    }

    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        Set<String> topics = admin.listTopics().names().get();
        assertTrue(topics.contains(tp.topic()), "topic after restart, saw " + topics);
      }
      try (var consumer = consumer(kafka.bootstrapServers())) {
        var committed = consumer.committed(Set.of(tp)).get(tp);
        assertEquals(7, committed.offset(), "committed offset after restart");
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen < 10 && System.nanoTime() < deadline) {
          seen += consumer.poll(Duration.ofMillis(200)).count();
        }
        assertEquals(10, seen, "records after restart");
      }
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
        new StringSerializer(), new StringSerializer());
  }

  static KafkaConsumer<String, String> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "restart-probe-group",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new StringDeserializer());
  }
}
