package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuartetIntegration
class TopicProvisionerIT {
  private static final TopicProvisioningConfig CONFIG = TopicProvisioningConfig.DEFAULTS;

  @Test
  void createsEveryCatalogTopicThenSecondRunIsANoOp(Infrastructure infra) throws Exception {
    // The only test of this JVM that uses the catalog's real names.
    TopicCatalog catalog = TopicCatalog.forBrokers(1);
    ProvisioningResult first = TopicProvisioner.provision(infra.kafkaBootstrap(), catalog, CONFIG);
    assertEquals(names(catalog), first.created(), "first run creates every catalog topic");
    assertEquals(List.of(), first.drift(), "freshly created topics have the catalog's settings");

    ProvisioningResult second = TopicProvisioner.provision(infra.kafkaBootstrap(), catalog, CONFIG);
    assertEquals(List.of(), second.created(), "second run creates nothing");
    assertEquals(List.of(), second.drift(), "second run finds no drift");

    try (Admin admin = admin(infra)) {
      TopicDescription events = admin.describeTopics(List.of(TopicCatalog.TASK_EVENTS)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(TopicCatalog.TASK_EVENTS);
      assertEquals(12, events.partitions().size(), "partitions of " + TopicCatalog.TASK_EVENTS);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.TASK_EVENTS);
      String retention = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
          .get(resource).get("retention.ms").value();
      assertEquals("-1", retention, "task events are kept forever");
    }
  }

  @Test
  void concurrentProvisionersBothSucceed(Infrastructure infra) {
    TopicCatalog catalog = uniqueCatalog(infra, 3);
    CompletableFuture<ProvisioningResult> a =
        CompletableFuture.supplyAsync(() -> TopicProvisioner.provision(infra.kafkaBootstrap(), catalog, CONFIG));
    CompletableFuture<ProvisioningResult> b =
        CompletableFuture.supplyAsync(() -> TopicProvisioner.provision(infra.kafkaBootstrap(), catalog, CONFIG));
    ProvisioningResult ra = a.orTimeout(90, TimeUnit.SECONDS).join();
    ProvisioningResult rb = b.orTimeout(90, TimeUnit.SECONDS).join();
    assertEquals(List.of(), ra.drift());
    assertEquals(List.of(), rb.drift());
    Set<String> createdByEither = new TreeSet<>(ra.created());
    createdByEither.addAll(rb.created());
    assertEquals(new TreeSet<>(names(catalog)), createdByEither, "every topic created by one of them");
    assertEquals(names(catalog).size(), ra.created().size() + rb.created().size(), "no topic created twice");
  }

  @Test
  void reportsTopicPreCreatedWithOtherSettings(Infrastructure infra) throws Exception {
    String name = "quartet." + infra.unique("drift") + ".events";
    try (Admin admin = admin(infra)) {
      admin.createTopics(List.of(new NewTopic(name, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all().get(30, TimeUnit.SECONDS);
    }
    TopicSpec wanted = new TopicSpec(name, 12, (short) 1, "delete", Duration.ofDays(1), 1, "drift probe",
        Set.of(Plane.EXECUTION), Set.of(Plane.EXECUTION));
    ProvisioningResult result = TopicProvisioner.provision(infra.kafkaBootstrap(), TopicCatalog.of(List.of(wanted)), CONFIG);

    assertEquals(List.of(), result.created(), "an existing topic is not re-created");
    assertEquals(List.of(
        new TopicDrift(name, "partitions", "12", "3"),
        new TopicDrift(name, "cleanup.policy", "delete", "compact"),
        new TopicDrift(name, "retention.ms", "86400000", "604800000")), result.drift());
    assertEquals("topic " + name + ": partitions expected 12, actual 3", result.drift().get(0).toString());
  }

  @Test
  void replicationBeyondTheClusterFailsNamingTheTopic(Infrastructure infra) {
    TopicCatalog tooWide = TopicCatalog.of(List.of(uniqueCatalog(infra, 1).topics().get(0).withReplication((short) 3, 2)));
    TopicProvisioningException e = assertThrows(TopicProvisioningException.class,
        () -> TopicProvisioner.provision(infra.kafkaBootstrap(), tooWide, CONFIG));
    String topic = tooWide.topics().get(0).name();
    assertTrue(e.getMessage().contains(topic), "message names " + topic + ": " + e.getMessage());
  }

  private static TopicCatalog uniqueCatalog(Infrastructure infra, int size) {
    String prefix = "quartet." + infra.unique("cat");
    return TopicCatalog.of(IntStream.range(0, size)
        .mapToObj(i -> new TopicSpec(prefix + ".t" + i, 2, (short) 1, "delete", null, 1, "probe " + i,
            Set.of(Plane.DATA), Set.of(Plane.DATA)))
        .collect(Collectors.toList()));
  }

  private static List<String> names(TopicCatalog catalog) {
    return catalog.topics().stream().map(TopicSpec::name).collect(Collectors.toList());
  }

  private static Admin admin(Infrastructure infra) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()));
  }
}
