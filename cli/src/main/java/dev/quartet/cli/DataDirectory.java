package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The data directory of `quartet up` and the files the spec says it holds. */
final class DataDirectory {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path dir;

  private DataDirectory(Path dir) {
    this.dir = dir;
  }

  /** Creates {@code dir} if needed and proves it writable, else fails with one line naming it. */
  static DataDirectory open(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
      Files.delete(probe);
      return new DataDirectory(dir);
    } catch (AccessDeniedException | FileAlreadyExistsException e) {
      throw new CliFailure(ExitCode.REJECTED, "data dir " + dir + " is not writable (" + e.getClass().getSimpleName() + ": " + e.getFile() + ")");
    } catch (IOException e) {
      throw new CliFailure(ExitCode.REJECTED, "data dir " + dir + " is not writable (" + e.getMessage() + ")");
    }
  }

  /** Writes {@code bootstrap.servers} so outside Kafka tools can find the broker. */
  void writeBootstrapServers(String bootstrap) throws IOException {
    writeAtomically(dir.resolve("bootstrap.servers"), bootstrap + "\n", false);
  }

  /** The bootstrap admin token, created on first start (mode 0600) and kept afterwards. */
  String adminToken() throws IOException {
    Path file = dir.resolve("admin.token");
    if (!Files.exists(file)) {
      writeAtomically(file, randomSecret() + "\n", true);
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  /** 256 random bits, hex. */
  static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private void writeAtomically(Path target, String content, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    // Temp files start owner-only, so a secret is never readable by others; the rest is public.
    if (!secret) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
