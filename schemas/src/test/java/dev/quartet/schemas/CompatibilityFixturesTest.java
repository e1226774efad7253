package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The compatibility check against hand-made evolutions of released schemas (compat-fixtures/). */
class CompatibilityFixturesTest {

  private static final SchemaCatalog RELEASED = SchemaCatalog.released();

  private static List<String> problemsOf(String fixture) {
    Schema candidate = Fixtures.schema(fixture);
    return SchemaCatalog.checkCompatibility(candidate, RELEASED.versions(candidate.getName()));
  }

  private static void assertAnyMentions(List<String> problems, String... fragments) {
    boolean found = problems.stream().anyMatch(p -> List.of(fragments).stream().allMatch(p::contains));
    assertTrue(found, () -> "expected a problem mentioning " + List.of(fragments) + ", got " + problems);
  }

  @Test
  void aNewFieldWithoutDefaultIsRejectedNamingTheField() {
    List<String> problems = problemsOf("TaskSubmitted-new-field-without-default.avsc");

    assertAnyMentions(problems, "TaskSubmitted v1", "backward", "READER_FIELD_MISSING_DEFAULT_VALUE", "field 'priority'");
  }

  @Test
  void aChangedFieldTypeIsRejectedInBothDirectionsNamingTheField() {
    List<String> problems = problemsOf("TaskSubmitted-changed-field-type.avsc");

    assertAnyMentions(problems, "backward", "TYPE_MISMATCH", "field 'evidenceRequired'");
    assertAnyMentions(problems, "forward", "TYPE_MISMATCH", "field 'evidenceRequired'");
  }

  @Test
  void aChangedNestedFieldTypeIsRejectedNamingItsPath() {
    List<String> problems = problemsOf("TaskSubmitted-changed-nested-field-type.avsc");

    assertAnyMentions(problems, "TYPE_MISMATCH", "field 'inputRef.size'");
  }

  @Test
  void aNewEnumSymbolIsRejectedBecauseReleasedReadersHaveNoDefaultForIt() {
    List<String> problems = problemsOf("TaskStateChanged-new-state-symbol.avsc");

    assertAnyMentions(problems, "forward", "MISSING_ENUM_SYMBOLS", "type 'TaskState'", "PAUSED");
  }

  @Test
  void aNewOptionalFieldWithDefaultPasses() {
    assertEquals(List.of(), problemsOf("TaskSubmitted-new-optional-field.avsc"));
  }

  @Test
  void theCurrentSchemasPassAgainstThemselves() {
    Schema current = TaskSubmitted.getClassSchema();
    assertEquals(List.of(), SchemaCatalog.checkCompatibility(current, List.of(current)));
  }
}
