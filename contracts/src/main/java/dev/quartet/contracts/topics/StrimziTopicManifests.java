package dev.quartet.contracts.topics;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.Plane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders the topic catalog as Strimzi {@code KafkaTopic} resources ({@code ops/kafka/topics.yaml}).
 *
 * <p>Run {@link #main} to regenerate the file after changing {@link TopicCatalog}; it needs only
 * this module's classes: {@code java -cp contracts/target/classes
 * dev.quartet.contracts.topics.StrimziTopicManifests ops/kafka/topics.yaml}.
 */
public final class StrimziTopicManifests {
  /** The Strimzi cluster the topics belong to ({@code strimzi.io/cluster} label). */
  public static final String CLUSTER = "quartet";
  /** The Strimzi API version of the rendered resources. */
  public static final String API_VERSION = "kafka.strimzi.io/v1beta2";

  private StrimziTopicManifests() {}

  /** Writes {@link #render} of the production catalog to the path given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: StrimziTopicManifests OUTPUT.yaml   (e.g. ops/kafka/topics.yaml)");
      System.exit(ExitCode.USAGE.code());
    }
    Path out = Path.of(args[0]);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, render(TopicCatalog.production()), StandardCharsets.UTF_8);
    System.out.println("wrote " + TopicCatalog.production().topics().size() + " KafkaTopic resources to " + out);
  }

  /** A multi-document YAML stream with one {@code KafkaTopic} per catalog topic, in catalog order. */
  public static String render(TopicCatalog catalog) {
    StringBuilder yaml = new StringBuilder()
        .append("# Strimzi KafkaTopic resources for every Quartet topic.\n")
        .append("# Generated from dev.quartet.contracts.topics.TopicCatalog.production(): do not edit by hand.\n")
        .append("# Regenerate from the repository root:\n")
        .append("#   mvn -B -o -q -pl contracts compile\n")
        .append("#   java -cp contracts/target/classes dev.quartet.contracts.topics.StrimziTopicManifests ops/kafka/topics.yaml\n");
    for (TopicSpec t : catalog.topics()) {
      yaml.append("---\n")
          .append("# ").append(t.purpose()).append('\n')
          .append("# writers: ").append(ids(t.writers())).append("; readers: ")
          .append(t.readers().isEmpty() ? "operators" : ids(t.readers())).append('\n')
          .append("apiVersion: ").append(API_VERSION).append('\n')
          .append("kind: KafkaTopic\n")
          .append("metadata:\n")
          .append("  name: ").append(t.name()).append('\n')
          .append("  labels:\n")
          .append("    strimzi.io/cluster: ").append(CLUSTER).append('\n')
          .append("spec:\n")
          .append("  topicName: ").append(t.name()).append('\n')
          .append("  partitions: ").append(t.partitions()).append('\n')
          .append("  replicas: ").append(t.replicationFactor()).append('\n')
          .append("  config:\n");
      for (Map.Entry<String, String> c : t.configs().entrySet()) {
        // Quoted so "compact,delete" and numbers all stay the strings Kafka's configs are.
        yaml.append("    ").append(c.getKey()).append(": \"").append(c.getValue()).append("\"\n");
      }
    }
    return yaml.toString();
  }

  private static String ids(Set<Plane> planes) {
    return planes.stream().map(Plane::id).collect(Collectors.joining(", "));
  }
}
