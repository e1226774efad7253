package dev.quartet.data.store;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real S3-compatible server for tests: s3rver (npm), installed once under the user's cache with
 * the machine's npm and run as its own process on loopback. Where there is no npm the test that
 * needs it is skipped, saying why.
 */
final class S3rver implements AutoCloseable {
  static final String ACCESS_KEY = "S3RVER";
  static final String SECRET_KEY = "S3RVER";
  private static final String VERSION = "3.7.1";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private final Process process;
  private final int port;

  private S3rver(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts s3rver with {@code bucket} created, data under {@code dir}. */
  static S3rver start(Path dir, String bucket) throws Exception {
    Path bin = install();
    int port = dev.quartet.harness.FreePorts.any();
    Process p = new ProcessBuilder(bin.toString(), "--directory", dir.toString(), "--address", "127.0.0.1",
        "--port", Integer.toString(port), "--configure-bucket", bucket, "--silent")
        .redirectErrorStream(true).redirectOutput(dir.resolveSibling("s3rver.log").toFile()).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("s3rver exited with " + p.exitValue() + "; see " + dir.resolveSibling("s3rver.log"));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new S3rver(p, port);
      } catch (IOException notYet) {
        p.waitFor(100, TimeUnit.MILLISECONDS);  // bounded wait for the port to open, re-checked above
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("s3rver did not listen on " + port + " within " + START_TIMEOUT);
  }

  /** The endpoint URL. */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  private static Path install() throws Exception {
    Path home = Path.of(System.getProperty("user.home"), ".cache", "quartet", "s3rver-" + VERSION);
    Path bin = home.resolve("node_modules").resolve(".bin").resolve("s3rver");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    Files.createDirectories(home);
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", home.toString(), "s3rver@" + VERSION)
          .redirectErrorStream(true).redirectOutput(home.resolve("npm-install.log").toFile()).start();
    } catch (IOException e) {
      Assumptions.abort("no npm on this machine to install s3rver (an S3-compatible server): " + e.getMessage());
      throw e;
    }
    if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      throw new IllegalStateException("npm install s3rver did not finish within " + INSTALL_TIMEOUT);
    }
    if (npm.exitValue() != 0 || !Files.isExecutable(bin)) {
      throw new IllegalStateException("npm install s3rver failed; see " + home.resolve("npm-install.log"));
    }
    return bin;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
