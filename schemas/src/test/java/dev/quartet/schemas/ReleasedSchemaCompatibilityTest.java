package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build gate for the wire contract: every current event schema stays fully compatible with
 * every released version of it, and no released event disappears. Runs in {@code mvn verify}.
 */
class ReleasedSchemaCompatibilityTest {

  private static final SchemaCatalog RELEASED = SchemaCatalog.released();
  // Surefire runs with the module directory as working directory.
  private static final Path AVRO_SOURCES = Path.of("src/main/avro");
  private static final Path RELEASED_SOURCES = Path.of("src/main/resources/released");

  static Stream<Class<? extends SpecificRecord>> eventTypes() {
    return EventTypes.all().stream();
  }

  private static Schema current(Class<? extends SpecificRecord> type) {
    return SpecificData.get().getSchema(type);
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void currentSchemaIsFullyCompatibleWithEveryReleasedVersion(Class<? extends SpecificRecord> type) {
    Schema current = current(type);
    List<String> problems = SchemaCatalog.checkCompatibility(current, RELEASED.versions(current.getName()));
    assertTrue(problems.isEmpty(), () -> type.getSimpleName() + " no longer matches its released versions."
        + " Add fields as optional with a default, never change or remove a required one;"
        + " a breaking change needs a new event type.\n  " + String.join("\n  ", problems));
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void everyEventTypeHasBeenReleased(Class<? extends SpecificRecord> type) {
    String name = current(type).getName();
    assertFalse(RELEASED.versions(name).isEmpty(), () -> name + " has no released version: add "
        + "released/" + name + "/v1.avsc (its full schema) and a line in " + SchemaCatalog.INDEX_RESOURCE);
  }

  @Test
  void noReleasedEventWasRemoved() {
    Set<String> current = EventTypes.all().stream().map(t -> current(t).getName()).collect(Collectors.toSet());
    var removed = new TreeSet<>(RELEASED.recordNames());
    removed.removeAll(current);
    assertEquals(Set.of(), removed, "released events missing from EventTypes; data written with them"
        + " is still on the topics and must stay decodable");
  }

  @Test
  void everyEventSchemaFileIsRegisteredAsAnEventType() throws IOException {
    // Embedded types (PayloadRef, Approval, enums) live in common/; every other file is an event.
    Set<String> registered = EventTypes.all().stream().map(Class::getSimpleName).collect(Collectors.toSet());
    try (Stream<Path> files = Files.walk(AVRO_SOURCES)) {
      Set<String> events = files.filter(p -> p.toString().endsWith(".avsc"))
          .filter(p -> !p.getParent().endsWith("common"))
          .map(p -> p.getFileName().toString().replace(".avsc", ""))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(new TreeSet<>(registered), events, "schemas outside common/ vs EventTypes.all()");
    }
  }

  @Test
  void theIndexListsEveryReleasedFile() throws IOException {
    Set<String> listed = new TreeSet<>();
    for (String name : RELEASED.recordNames()) {
      for (int v = 1; v <= RELEASED.versions(name).size(); v++) {
        listed.add(name + "/v" + v + ".avsc");
      }
    }
    try (Stream<Path> files = Files.walk(RELEASED_SOURCES)) {
      Set<String> onDisk = files.filter(p -> p.toString().endsWith(".avsc"))
          .map(p -> RELEASED_SOURCES.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(onDisk, listed, "files under released/ vs lines in " + SchemaCatalog.INDEX_RESOURCE);
    }
  }
}
