package dev.quartet.cli;

import dev.quartet.evidence.domain.note.NoteSigner;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle zip entry by entry, hashing each as it goes so no entry is held longer than it
 * takes to write it, then the manifest with those hashes. The zip is written next to the target
 * and moved into place only when complete, so a failed export leaves no half bundle behind.
 */
final class BundleWriter implements Closeable {
  private final Path target;
  private final Path tmp;
  private final ZipOutputStream zip;
  private final Map<String, String> hashes = new LinkedHashMap<>();
  private boolean finished;

  private BundleWriter(Path target, Path tmp) throws IOException {
    this.target = target;
    this.tmp = tmp;
    this.zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)));
  }

  /** Starts a bundle that will be {@code target}. */
  static BundleWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return new BundleWriter(target, Files.createTempFile(dir, "." + target.getFileName(), ".tmp"));
  }

  /** Adds one entry. @throws IllegalArgumentException for a second entry of the same name, or the manifest's */
  void add(String name, byte[] bytes) throws IOException {
    if (BundleLayout.MANIFEST.equals(name) || BundleLayout.SIGNATURE.equals(name) || hashes.containsKey(name)) {
      throw new IllegalArgumentException("bundle entry " + name + " written twice");
    }
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
    hashes.put(name, sha256Hex(bytes));
  }

  /**
   * Writes the manifest ({@code draft} with every entry's hash) and its signature by {@code signer},
   * closes the zip and moves it to the target.
   */
  BundleManifest finish(BundleManifest draft, NoteSigner signer) throws IOException {
    BundleManifest manifest = draft.withSha256(hashes);
    byte[] json = manifest.toJson();
    zip.putNextEntry(new ZipEntry(BundleLayout.MANIFEST));
    zip.write(json);
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry(BundleLayout.SIGNATURE));
    zip.write(BundleSignature.sign(json, signer));
    zip.closeEntry();
    zip.close();
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    finished = true;
    return manifest;
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      try {
        zip.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
