package dev.quartet.data.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** Owner-only files written atomically: the key material of the data plane. */
final class SecretFiles {
  static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private SecretFiles() {}

  interface Writer {
    void write(OutputStream out) throws IOException, GeneralSecurityException;
  }

  /**
   * Writes {@code target} via a 0600 temporary file, fsync and atomic rename: readers see the old
   * file or the new one, never a torn one, even across a crash.
   */
  static void writeAtomically(Path target, Writer writer) throws IOException, GeneralSecurityException {
    Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE)) {
      OutputStream out = Channels.newOutputStream(channel);
      writer.write(out);
      out.flush();
      channel.force(true);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** The password in {@code file}, generated (256 random bits) on first use. */
  static String readOrCreatePassword(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      try {
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE)) {
          channel.write(java.nio.ByteBuffer.wrap(generated.getBytes(StandardCharsets.US_ASCII)));
          channel.force(true);
        }
        try {
          // A hard link never replaces: if another process created the file meanwhile, theirs wins.
          Files.createLink(file, temp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // keep theirs
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        throw new IOException("cannot create the keystore password file " + file, e);
      }
    }
    return Files.readString(file, StandardCharsets.US_ASCII).trim();
  }
}
