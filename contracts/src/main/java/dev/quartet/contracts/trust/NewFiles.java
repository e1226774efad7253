package dev.quartet.contracts.trust;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates files that must not exist yet: trust material is never silently replaced. */
final class NewFiles {
  private NewFiles() {}

  /** Creates {@code file} with mode 0600 (where POSIX) before the first secret byte is written. */
  static void writeSecret(Path file, byte[] content) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    // createFile is atomic create-if-absent, and its mode is not widened by the umask.
    Files.createFile(file, attrs);
    writeInto(file, content);
  }

  /** Creates {@code file} and writes {@code content}; fails if it exists. */
  static void write(Path file, byte[] content) throws IOException {
    Files.createFile(file);
    writeInto(file, content);
  }

  private static void writeInto(Path file, byte[] content) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
      out.write(content);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }
}
