package dev.quartet.harness;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuartetIntegration
class ThreeBrokerClusterIT {

  @Test
  void nothingAcknowledgedIsLostWhenABrokerStopsAndReturns(Infrastructure infra) throws Exception {
    ThreeBrokerCluster cluster = infra.threeBrokerCluster();
    String topic = infra.unique("fault");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get();
    }
    Set<String> acknowledged = new HashSet<>();
    int victim = cluster.brokerIds().iterator().next();
    try (KafkaProducer<String, String> producer = EmbeddedKafkaRestartIT.producer(cluster.bootstrapServers())) {
      sendBatch(producer, topic, "before", acknowledged);
      cluster.stopBroker(victim);
      sendBatch(producer, topic, "during", acknowledged);
      cluster.startBroker(victim);
      sendBatch(producer, topic, "after", acknowledged);
    }

    Set<String> read = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = EmbeddedKafkaRestartIT.consumer(cluster.bootstrapServers())) {
      List<TopicPartition> partitions = List.of(
          new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!read.containsAll(acknowledged) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
      }
    }
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(read);
    assertEquals(Set.of(), missing, "acknowledged records missing after broker " + victim + " stopped and returned");
    assertEquals(300, acknowledged.size(), "records acknowledged");
  }

  private static void sendBatch(KafkaProducer<String, String> producer, String topic, String phase,
                                Set<String> acknowledged) throws Exception {
    List<Future<?>> sends = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String value = phase + "-" + i;
      values.add(value);
      sends.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)));
    }
    for (int i = 0; i < sends.size(); i++) {
      sends.get(i).get(); // throws if not acknowledged by min.insync.replicas
      acknowledged.add(values.get(i));
    }
  }
}
