package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCatalogTest {

  @TempDir
  Path classpathRoot;

  private static final Schema APPLIED = new Schema.Parser().parse(ConfigApplied.getClassSchema().toString());

  private SchemaCatalog loadFrom(String index, String file, Schema content) throws Exception {
    Files.createDirectories(classpathRoot.resolve("released/ConfigApplied"));
    Files.writeString(classpathRoot.resolve("released/index.txt"), index);
    if (file != null) {
      Files.writeString(classpathRoot.resolve("released/" + file), content.toString());
    }
    // No parent: the loader must see only this directory, not the module's own released/.
    try (var loader = new URLClassLoader(new URL[] {classpathRoot.toUri().toURL()}, null)) {
      return SchemaCatalog.load(loader);
    }
  }

  private static String fingerprintOf(Schema s) {
    return String.format("0x%016x", SchemaNormalization.parsingFingerprint64(s));
  }

  @Test
  void theReleasedCatalogHoldsEveryEventAndItsCurrentSchemaLast() {
    SchemaCatalog catalog = SchemaCatalog.released();
    for (var type : EventTypes.all()) {
      List<Schema> versions = catalog.versions(type.getSimpleName());
      assertFalse(versions.isEmpty(), type.getSimpleName());
      // Whatever is encoded today must already be released, or no reader could resolve it.
      assertEquals(fingerprintOf(SpecificData.get().getSchema(type)), fingerprintOf(versions.get(versions.size() - 1)),
          type.getSimpleName());
    }
  }

  @Test
  void aRecordNeverReleasedHasNoVersions() {
    assertEquals(List.of(), SchemaCatalog.released().versions("NoSuchEvent"));
  }

  @Test
  void aWellFormedCatalogLoads() throws Exception {
    SchemaCatalog catalog = loadFrom("ConfigApplied/v1.avsc " + fingerprintOf(APPLIED) + "\n",
        "ConfigApplied/v1.avsc", APPLIED);
    assertEquals(List.of(APPLIED), catalog.versions("ConfigApplied"));
  }

  @Test
  void aReleasedFileEditedSinceReleaseIsRefused() throws Exception {
    String releasedAs = "0x0123456789abcdef";
    var e = assertThrows(IllegalStateException.class,
        () -> loadFrom("ConfigApplied/v1.avsc " + releasedAs + "\n", "ConfigApplied/v1.avsc", APPLIED));
    assertTrue(e.getMessage().contains("must never be edited") && e.getMessage().contains(releasedAs), e.getMessage());
  }

  @Test
  void aGapInVersionsIsRefused() {
    var e = assertThrows(IllegalStateException.class,
        () -> loadFrom("ConfigApplied/v2.avsc " + fingerprintOf(APPLIED) + "\n", "ConfigApplied/v2.avsc", APPLIED));
    assertTrue(e.getMessage().contains("should be v1"), e.getMessage());
  }

  @Test
  void aFileDefiningAnotherRecordThanItsDirectoryIsRefused() {
    Schema other = ConfigRefused.getClassSchema();
    var e = assertThrows(IllegalStateException.class,
        () -> loadFrom("ConfigApplied/v1.avsc " + fingerprintOf(other) + "\n", "ConfigApplied/v1.avsc", other));
    assertTrue(e.getMessage().contains("defines dev.quartet.schemas.ConfigRefused"), e.getMessage());
  }

  @Test
  void aListedFileThatIsMissingIsRefused() {
    var e = assertThrows(IllegalStateException.class,
        () -> loadFrom("ConfigApplied/v1.avsc " + fingerprintOf(APPLIED) + "\n", null, null));
    assertTrue(e.getMessage().contains("released/ConfigApplied/v1.avsc"), e.getMessage());
  }

  @Test
  void aMalformedIndexLineIsRefused() {
    var e = assertThrows(IllegalStateException.class, () -> loadFrom("ConfigApplied/v1.avsc\n", null, null));
    assertTrue(e.getMessage().contains("expected 'Name/vN.avsc 0x<16 hex>'"), e.getMessage());
  }

  @Test
  void withNextVersionAppendsAfterTheReleasedOnes() {
    Schema candidate = Fixtures.schema("TaskSubmitted-new-optional-field.avsc");
    int released = SchemaCatalog.released().versions("TaskSubmitted").size();
    SchemaCatalog next = SchemaCatalog.released().withNextVersion(candidate);
    assertEquals(released + 1, next.versions("TaskSubmitted").size());
    assertEquals(candidate, next.versions("TaskSubmitted").get(released));
  }

  @Test
  void fieldPathTurnsAvroLocationsIntoFieldNames() {
    Schema submitted = TaskSubmitted.getClassSchema();
    assertEquals("field 'inputRef.size'", SchemaCatalog.fieldPath(submitted, "/fields/3/type/fields/2/type"));
    assertEquals("field 'queue'", SchemaCatalog.fieldPath(submitted, "/fields/2/type"));
    assertEquals("record TaskSubmitted", SchemaCatalog.fieldPath(submitted, ""));
  }
}
