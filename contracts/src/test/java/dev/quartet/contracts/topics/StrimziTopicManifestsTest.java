package dev.quartet.contracts.topics;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Keeps {@code ops/kafka/topics.yaml} equal to {@link TopicCatalog#production()}. */
class StrimziTopicManifestsTest {
  // Surefire runs in the module directory, so the ops/ tree is one level up.
  private static final Path MANIFEST = Path.of("..", "ops", "kafka", "topics.yaml");
  private static final String REGENERATE = "Regenerate it from the repository root with:\n"
      + "  mvn -B -o -q -pl contracts compile\n"
      + "  java -cp contracts/target/classes dev.quartet.contracts.topics.StrimziTopicManifests ops/kafka/topics.yaml";

  @Test
  void opsManifestMatchesCatalog() throws IOException {
    assertTrue(Files.isRegularFile(MANIFEST), MANIFEST.toAbsolutePath() + " is missing. " + REGENERATE);
    List<String> diff = diff(expected(TopicCatalog.production()), parse(Files.readString(MANIFEST, StandardCharsets.UTF_8)));
    if (!diff.isEmpty()) {
      fail("ops/kafka/topics.yaml does not match TopicCatalog.production():\n  " + String.join("\n  ", diff) + "\n"
          + REGENERATE);
    }
  }

  @Test
  void renderedManifestParsesToTheCatalog() {
    TopicCatalog single = TopicCatalog.forBrokers(1);
    assertEquals(List.of(), diff(expected(single), parse(StrimziTopicManifests.render(single))));
  }

  @Test
  void diffNamesTopicFieldAndValues() {
    Map<String, Map<String, String>> actual = expected(TopicCatalog.production());
    actual.get(TopicCatalog.TASK_EVENTS).put("spec.partitions", "3");
    actual.remove(TopicCatalog.DEAD_LETTER);
    assertEquals(List.of(
            "quartet.tasks.events: spec.partitions expected 12, actual 3",
            "quartet.deadletter: missing (in the catalog, not in the manifest)"),
        diff(expected(TopicCatalog.production()), actual));
  }

  /** Topic name → flattened field path → value, as the catalog says it must be. */
  private static Map<String, Map<String, String>> expected(TopicCatalog catalog) {
    Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    for (TopicSpec t : catalog.topics()) {
      Map<String, String> fields = new TreeMap<>();
      fields.put("apiVersion", "kafka.strimzi.io/v1beta2");
      fields.put("kind", "KafkaTopic");
      fields.put("metadata.name", t.name());
      fields.put("metadata.labels[strimzi.io/cluster]", "quartet");
      fields.put("spec.topicName", t.name());
      fields.put("spec.partitions", Integer.toString(t.partitions()));
      fields.put("spec.replicas", Short.toString(t.replicationFactor()));
      t.configs().forEach((k, v) -> fields.put("spec.config[" + k + "]", v));
      topics.put(t.name(), fields);
    }
    return topics;
  }

  private static Map<String, Map<String, String>> parse(String yaml) {
    Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (doc == null) {
        continue;
      }
      Map<String, String> fields = new TreeMap<>();
      flatten("", doc, fields);
      String name = fields.getOrDefault("metadata.name", "(document without metadata.name #" + topics.size() + ")");
      topics.put(name, fields);
    }
    return topics;
  }

  private static void flatten(String path, Object node, Map<String, String> out) {
    if (node instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
        String key = String.valueOf(e.getKey());
        String child = key.contains(".") || key.contains("/") ? path + "[" + key + "]"
            : path.isEmpty() ? key : path + "." + key;
        flatten(child, e.getValue(), out);
      }
    } else {
      // Numbers and quoted strings are the same to Strimzi: compare their text.
      out.put(path, String.valueOf(node));
    }
  }

  private static List<String> diff(Map<String, Map<String, String>> expected, Map<String, Map<String, String>> actual) {
    List<String> lines = new ArrayList<>();
    expected.forEach((topic, want) -> {
      Map<String, String> have = actual.get(topic);
      if (have == null) {
        lines.add(topic + ": missing (in the catalog, not in the manifest)");
        return;
      }
      want.forEach((field, value) -> {
        if (!value.equals(have.get(field))) {
          lines.add(topic + ": " + field + " expected " + value + ", actual " + have.getOrDefault(field, "(absent)"));
        }
      });
      have.keySet().stream().filter(f -> !want.containsKey(f))
          .forEach(f -> lines.add(topic + ": " + f + " is not in the catalog (actual " + have.get(f) + ")"));
    });
    actual.keySet().stream().filter(t -> !expected.containsKey(t))
        .forEach(t -> lines.add(t + ": extra (in the manifest, not in the catalog)"));
    return lines;
  }
}
