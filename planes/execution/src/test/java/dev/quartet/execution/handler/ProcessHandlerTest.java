package dev.quartet.execution.handler;

import static dev.quartet.execution.handler.Invocations.text;
import static dev.quartet.execution.handler.Invocations.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.execution.policy.ToolDefinition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessHandlerTest {
  @TempDir Path workRoot;
  private final Random random = new Random(31337L);

  private ProcessHandler handler() {
    return new ProcessHandler(workRoot, Duration.ofSeconds(5));
  }

  private static HandlerInvocation call(List<String> command, byte[] input, HandlerLimits limits) {
    return Invocations.of(new ToolDefinition("tool", "process", command), Map.of("command", "rm -rf /"), input,
        limits, Set.of());
  }

  @Test
  void countsTheBytesOfItsInputWithWc() throws Exception {
    for (int size : List.of(0, 1, 70_000, random.nextInt(200_000))) {
      byte[] input = new byte[size];
      random.nextBytes(input);
      HandlerOutput out = handler().run(call(List.of("wc", "-c"), input, Invocations.LIMITS));
      assertEquals(String.valueOf(size), text(out).trim(), "wc -c of " + size + " bytes");
    }
    assertWorkRootEmpty();
  }

  @Test
  void seesOnlyTheScrubbedEnvironmentAndAPrivateHome() throws Exception {
    HandlerOutput out = handler().run(call(List.of("env"), new byte[0], Invocations.LIMITS));
    List<String> lines = text(out).lines().sorted().toList();
    assertEquals(3, lines.size(), "expected exactly HOME, LANG, PATH, saw " + lines);
    assertTrue(lines.get(0).startsWith("HOME=" + workRoot.toRealPath()) || lines.get(0).startsWith("HOME=" + workRoot),
        lines.get(0));
    assertEquals("LANG=C.UTF-8", lines.get(1));
    assertEquals("PATH=/usr/bin:/bin", lines.get(2));
    assertWorkRootEmpty();
  }

  @Test
  void runsInAPrivateDirectoryThatOnlyItsOwnerCanEnter() throws Exception {
    HandlerOutput out = handler().run(call(List.of("stat", "-c", "%a", "."), new byte[0], Invocations.LIMITS));
    assertEquals("700", text(out).trim());
    assertWorkRootEmpty();
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    String token = uniqueSleep();
    // A child and a grandchild: both must be gone after the timeout.
    List<String> command = List.of("sh", "-c", "sleep " + token + " & sleep " + token + "; wait");
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler().run(call(command, new byte[0], Invocations.limits(Duration.ofMillis(1500), 1024))));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("timed out after"), f.reason());
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertEquals(List.of(), running(token), "no process of the timed-out tree should be left"));
    assertWorkRootEmpty();
  }

  @Test
  void aTimedOutSleepIsSeenRunningThenKilled() throws Exception {
    String token = uniqueSleep();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        handler().run(call(List.of("sleep", token), new byte[0], Invocations.limits(Duration.ofSeconds(3), 1024)));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> running(token).size() == 1);
    runner.join(Duration.ofSeconds(10).toMillis());
    assertFalse(runner.isAlive(), "the handler should have returned after its timeout");
    HandlerFailure f = assertInstanceOf(HandlerFailure.class, thrown.get());
    assertTrue(f.reason().contains("timed out after PT3S"), f.reason());
    assertEquals(List.of(), running(token));
  }

  @Test
  void anInterruptStopsTheProcessPromptly() throws Exception {
    String token = uniqueSleep();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        handler().run(call(List.of("sleep", token), new byte[0], Invocations.limits(Duration.ofSeconds(60), 1024)));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> running(token).size() == 1);
    long start = System.nanoTime();
    runner.interrupt();
    runner.join(Duration.ofSeconds(5).toMillis());
    assertFalse(runner.isAlive(), "the handler should return within 5 s of an interrupt");
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    assertInstanceOf(InterruptedException.class, thrown.get());
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(), running(token)));
    assertWorkRootEmpty();
  }

  @Test
  void outputOverTheLimitStopsTheProcess() {
    String token = uniqueSleep();
    // Writes 64 KiB, then would sleep for long: the limit must end it well before the timeout.
    List<String> command = List.of("sh", "-c", "head -c 65536 /dev/zero; sleep " + token);
    long start = System.nanoTime();
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler().run(call(command, new byte[0], Invocations.limits(Duration.ofSeconds(30), 1000))));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("exceeds the limit of 1000"), f.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "should stop at the limit, not the timeout");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(), running(token)));
  }

  @Test
  void nothingStartedInTheBackgroundOutlivesTheRun() throws Exception {
    String token = uniqueSleep();
    long start = System.nanoTime();
    HandlerOutput out = handler().run(call(List.of("sh", "-c", "sleep " + token + " & echo done"), new byte[0],
        Invocations.LIMITS));
    assertEquals("done", text(out).trim());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "should not wait for the background child");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(), running(token)));
  }

  @Test
  void aNonZeroExitFailsWithTheCodeAndOnlyTheFirstStderrLine() {
    List<String> command = List.of("sh", "-c", "echo first problem >&2; echo second line >&2; exit 3");
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler().run(call(command, new byte[0], Invocations.LIMITS)));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("exited with 3"), f.reason());
    assertTrue(f.reason().contains("first problem"), f.reason());
    assertFalse(f.reason().contains("second line"), f.reason());
  }

  @Test
  void aCommandOutsideTheChildPathIsRefused() {
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler().run(call(List.of("no-such-tool-xyz"), new byte[0], Invocations.LIMITS)));
    assertTrue(f.reason().contains("not found"), f.reason());
    f = assertThrows(HandlerFailure.class,
        () -> handler().run(call(List.of("./relative"), new byte[0], Invocations.LIMITS)));
    assertTrue(f.reason().contains("absolute"), f.reason());
  }

  /** A sleep duration nobody else runs, so the test can find exactly its own processes. */
  private String uniqueSleep() {
    return "30." + (100000 + random.nextInt(900000)) + System.nanoTime() % 1000;
  }

  private static List<Long> running(String token) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains("sleep " + token) && !c.contains("sh -c")).orElse(false))
          .map(ProcessHandle::pid).toList();
    }
  }

  private void assertWorkRootEmpty() throws Exception {
    try (Stream<Path> left = Files.list(workRoot)) {
      assertEquals(List.of(), left.toList(), "private working directories should be deleted");
    }
  }
}
