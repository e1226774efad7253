package dev.quartet.evidence.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a partition's log is signed, and under which origin. */
class CheckpointPolicyTest {
  private final CheckpointPolicy policy = new CheckpointPolicy("quartet.example/evidence/", 1000);

  @Test
  void originNamesThePartition() {
    assertEquals("quartet.example/evidence/0", policy.origin(0));
    assertEquals("quartet.example/evidence/5", policy.origin(5));
    assertThrows(IllegalArgumentException.class, () -> policy.origin(-1));
  }

  @Test
  void periodicRoundSignsOnlyGrownTrees() {
    assertTrue(policy.grown(1, 0));
    assertTrue(policy.grown(11, 10));
    assertFalse(policy.grown(10, 10), "an unchanged tree is never re-signed");
    assertFalse(policy.grown(0, 0));
  }

  @Test
  void signsEarlyOnceTheTreeGrewByEveryEvents() {
    assertFalse(policy.dueEarly(999, 0));
    assertTrue(policy.dueEarly(1000, 0));
    assertFalse(policy.dueEarly(1999, 1000));
    assertTrue(policy.dueEarly(2500, 1000));
  }

  @Test
  void refusesBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy("quartet.example/", 0));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy("two\nlines/", 10));
  }
}
