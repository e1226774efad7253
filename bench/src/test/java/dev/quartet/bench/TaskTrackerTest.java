package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskTrackerTest {
  @Test
  void holdsAtMostTheBoundOfUnfinishedTasks() throws Exception {
    TaskTracker t = new TaskTracker(2);
    assertTrue(t.reserve(0));
    assertTrue(t.reserve(0));
    assertFalse(t.reserve(0), "a third slot while two tasks are unfinished");
    t.submitted("a", 10);
    t.transition("a", "SUCCEEDED", 20);
    assertTrue(t.reserve(0), "a's end freed its slot");
  }

  @Test
  void countsATaskThatEndedBeforeItsSubmissionWasAnsweredOnce() throws Exception {
    TaskTracker t = new TaskTracker(1);
    assertTrue(t.reserve(0));
    t.transition("a", "RUNNING", 5);
    t.transition("a", "SUCCEEDED", 6);
    assertEquals(1, t.outstanding(), "the slot is released when the answer comes, not before");
    t.submitted("a", 7);
    assertEquals(0, t.outstanding());
    t.transition("a", "SUCCEEDED", 8);
    assertEquals(1, t.succeeded(), "a redelivered end is not counted twice");
    assertEquals(0, t.outstanding());
    assertTrue(t.awaitDrained(0));
  }

  @Test
  void measuresSubmitToRunningAndToTheEnd() throws Exception {
    TaskTracker t = new TaskTracker(1);
    t.reserve(0);
    t.submitted("a", 100);
    assertEquals(-1, t.awaitRunning("a", 90, 0), "not RUNNING yet");
    t.transition("a", "LEASED", 110);
    t.transition("a", "RUNNING", 130);
    t.transition("a", "RUNNING", 170);
    assertEquals(40, t.awaitRunning("a", 90, 0), "from the send to the first RUNNING read");
    t.transition("a", "FAILED", 200);
    assertEquals(110, t.awaitEnded("a", 90, 0));
    assertEquals(1, t.failed());
    assertEquals(0, t.succeeded());
  }

  @Test
  void anUnansweredSubmissionGivesItsSlotBack() throws Exception {
    TaskTracker t = new TaskTracker(1);
    t.reserve(0);
    t.unreserve();
    assertEquals(0, t.outstanding());
    assertThrows(IllegalArgumentException.class, () -> new TaskTracker(0));
  }
}
