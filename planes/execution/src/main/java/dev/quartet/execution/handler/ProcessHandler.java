package dev.quartet.execution.handler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kind {@code process}: runs the registered tool's argv (never a shell, never a command from task
 * params) with the input on stdin and stdout as the output. The child gets a scrubbed environment
 * ({@code PATH=/usr/bin:/bin}, {@code LANG=C.UTF-8}, {@code HOME} = its working directory) and a
 * private working directory (0700) that is deleted afterwards. On timeout, cancellation or an
 * output over the limit the whole process tree is killed: the child starts in its own process
 * group (through {@code /usr/bin/setsid}, which execs in place, so the group id is the child's
 * pid) and the group is sent SIGKILL in one step, which no concurrent fork escapes; every
 * descendant found with {@link ProcessHandle#descendants()} is killed as well, for children that
 * left the group. The group is also killed after a normal exit, so nothing a run started
 * outlives it. Without {@code setsid}/{@code kill} on the host only the descendants are killed.
 * stderr is kept up to
 * {@code maxDiagnosticBytes} and only its size and first line reach the failure reason.
 */
public final class ProcessHandler implements TaskHandler {
  /** The only PATH a child sees; argv[0] without a slash is looked up here, not in the worker's PATH. */
  public static final String CHILD_PATH = "/usr/bin:/bin";
  private static final Logger LOG = LoggerFactory.getLogger(ProcessHandler.class);
  private static final int REASON_LINE_CHARS = 120;
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path KILL = Path.of("/bin/kill");

  private final Path workRoot;
  private final Duration killGrace;
  private final boolean grouped = Files.isExecutable(SETSID) && Files.isExecutable(KILL);

  /**
   * @param workRoot the directory private per-run directories are created in
   * @param killGrace how long to wait for a killed tree to exit and for its pipes to drain
   */
  public ProcessHandler(Path workRoot, Duration killGrace) {
    this.workRoot = workRoot;
    this.killGrace = killGrace;
  }

  @Override
  public String kind() {
    return "process";
  }

  @Override
  public HandlerOutput run(HandlerInvocation call) throws HandlerFailure, InterruptedException {
    List<String> argv = new ArrayList<>(call.tool().command());
    if (argv.isEmpty()) {
      throw HandlerFailure.permanent("process: tool " + call.tool().name() + " has no command");
    }
    argv.set(0, executable(argv.get(0)));
    Path home;
    try {
      home = Files.createTempDirectory(workRoot, "task-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw HandlerFailure.retryable("process: cannot create a private working directory");
    }
    try {
      return runIn(home, argv, call);
    } finally {
      delete(home, call);
    }
  }

  private HandlerOutput runIn(Path home, List<String> argv, HandlerInvocation call)
      throws HandlerFailure, InterruptedException {
    List<String> launch = new ArrayList<>();
    if (grouped) {
      launch.add(SETSID.toString());
    }
    launch.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(launch).directory(home.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", CHILD_PATH);
    env.put("LANG", "C.UTF-8");
    env.put("HOME", home.toString());
    String tool = call.tool().name();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw HandlerFailure.permanent("process " + tool + ": cannot start " + argv.get(0));
    }
    HandlerLimits limits = call.limits();
    StreamCapture stdout = new StreamCapture(process.getInputStream(), limits.maxOutputBytes(), true,
        () -> killTree(process.toHandle()));
    StreamCapture stderr = new StreamCapture(process.getErrorStream(), limits.maxDiagnosticBytes(), false, () -> { });
    Thread out = start(stdout, call, "stdout");
    Thread err = start(stderr, call, "stderr");
    start(() -> feed(process.getOutputStream(), call.input()), call, "stdin");
    boolean exited;
    try {
      exited = process.waitFor(limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process.toHandle());
      awaitExit(process);
      throw e;
    }
    if (!exited) {
      killTree(process.toHandle());
      awaitExit(process);
      throw HandlerFailure.permanent("process " + tool + ": timed out after " + limits.timeout());
    }
    killGroup(process.pid());  // whatever the run left in the background ends with it
    // The pipes reach end-of-file once every holder is gone; a detached descendant may keep one open.
    out.join(killGrace.toMillis() + 1);
    err.join(killGrace.toMillis() + 1);
    if (stdout.overflowed()) {
      throw HandlerFailure.permanent("process " + tool + ": output exceeds the limit of "
          + limits.maxOutputBytes() + " bytes");
    }
    if (process.exitValue() != 0) {
      throw HandlerFailure.permanent("process " + tool + ": exited with " + process.exitValue() + describe(stderr));
    }
    if (!stdout.finished()) {
      throw HandlerFailure.permanent("process " + tool + ": a descendant kept stdout open after exit");
    }
    return new HandlerOutput(stdout.bytes(), "application/octet-stream");
  }

  /** Kills a process, its process group and every descendant it has now. */
  private void killTree(ProcessHandle root) {
    // Listed before anything dies: killing the root reparents its children out of descendants().
    List<ProcessHandle> tree = root.descendants().toList();
    killGroup(root.pid());
    root.destroyForcibly();
    for (ProcessHandle child : tree) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
    }
  }

  private void killGroup(long pgid) {
    if (!grouped) {
      return;
    }
    ProcessBuilder kill = new ProcessBuilder(KILL.toString(), "-KILL", "--", "-" + pgid);
    kill.environment().clear();
    kill.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      // The signal is sent as soon as kill runs; waiting only keeps the order of events simple.
      kill.start().waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      LOG.warn("could not start {} to end process group {}: {}", KILL, pgid, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();  // keep the cancellation visible to the caller
    }
  }

  private void awaitExit(Process process) {
    try {
      process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();  // keep the cancellation visible to the caller
    }
  }

  private static Thread start(Runnable body, HandlerInvocation call, String stream) {
    Thread t = new Thread(body, "process-" + call.taskId() + "-" + stream);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void feed(OutputStream stdin, byte[] input) {
    try (stdin) {
      stdin.write(input);
    } catch (IOException e) {
      // The child may exit without reading all of its input; that is its business, not a failure.
    }
  }

  private static String executable(String argv0) throws HandlerFailure {
    if (argv0.contains("/")) {
      Path p = Path.of(argv0);
      if (p.isAbsolute() && Files.isExecutable(p)) {
        return argv0;
      }
      throw HandlerFailure.permanent("process: command " + argv0 + " is not an absolute path to an executable");
    }
    for (String dir : CHILD_PATH.split(":")) {
      Path p = Path.of(dir, argv0);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw HandlerFailure.permanent("process: command " + argv0 + " not found on " + CHILD_PATH);
  }

  private static String describe(StreamCapture stderr) {
    if (stderr.total() == 0) {
      return "";
    }
    String text = new String(stderr.bytes(), StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl)).replaceAll("\\p{Cntrl}", " ").strip();
    if (first.length() > REASON_LINE_CHARS) {
      first = first.substring(0, REASON_LINE_CHARS) + "…";
    }
    return "; stderr " + stderr.total() + " bytes: " + first;
  }

  private static void delete(Path home, HandlerInvocation call) {
    try (Stream<Path> walk = Files.walk(home)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("taskId={} attempt={} could not delete its private working directory {}: {}",
          call.taskId(), call.attempt(), home, e.getClass().getSimpleName());
    }
  }
}
