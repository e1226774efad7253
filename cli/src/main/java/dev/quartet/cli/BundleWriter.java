package dev.quartet.cli;

import dev.quartet.evidence.domain.note.NoteSigner;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle: small entries (keys, checkpoints, proofs between them, config snapshots) go into
 * the zip as they come, deflated; events are appended to the three event entries (records,
 * renderings, inclusion proofs; see {@link BundleLayout}), kept in temporary files beside the target
 * while they grow and stored uncompressed at the end, so that verify reads them at disk speed.
 * Every other entry is hashed as it is written, and the manifest lists the hashes; the event
 * entries are bound by the SHA-256 of the frame headers instead (see {@link BundleRecords}). The zip is written next
 * to the target and moved into place only when complete, so a failed export leaves no half bundle behind.
 */
final class BundleWriter implements Closeable {
  private final Path target;
  private final Path tmp;
  private final ZipOutputStream zip;
  private final Map<String, String> hashes = new LinkedHashMap<>();
  private final List<Spool> spools = new ArrayList<>();
  private final Spool records;
  private final Spool renderings;
  private final Spool inclusion;
  private final MessageDigest frames = BundleRecords.headersSha256();
  private int events;
  private int proofs;
  private boolean finished;

  private BundleWriter(Path target, Path tmp) throws IOException {
    this.target = target;
    this.tmp = tmp;
    this.zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16));
    Path dir = tmp.getParent();
    String base = "." + target.getFileName();
    try {
      records = spool(BundleLayout.RECORDS, dir, base);
      renderings = spool(BundleLayout.RENDERINGS, dir, base);
      inclusion = spool(BundleLayout.INCLUSION, dir, base);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts a bundle that will be {@code target}. */
  static BundleWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return new BundleWriter(target, Files.createTempFile(dir, "." + target.getFileName(), ".tmp"));
  }

  /** Adds one small entry. @throws IllegalArgumentException for a second entry of the same name, or a reserved one */
  void add(String name, byte[] bytes) throws IOException {
    if (BundleLayout.MANIFEST.equals(name) || BundleLayout.SIGNATURE.equals(name) || hashes.containsKey(name)
        || spools.stream().anyMatch(s -> s.name.equals(name))) {
      throw new IllegalArgumentException("bundle entry " + name + " written twice");
    }
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
    hashes.put(name, sha256Hex(bytes));
  }

  /**
   * Appends the next event (its index is the number of events before it): the record at leaf
   * {@code leafIndex} of {@code partition}'s log, its leaf hash, and its one-line rendering.
   */
  int event(int partition, long leafIndex, byte[] leafHash, byte[] record, byte[] rendering) throws IOException {
    for (byte b : rendering) {
      if (b == '\n') {
        throw new IllegalArgumentException("a rendering is one line");
      }
    }
    frames.update(BundleRecords.write(records.out, partition, leafIndex, leafHash, record, rendering.length));
    renderings.out.write(rendering);
    renderings.out.write('\n');
    return events++;
  }

  /** Appends the inclusion proof of an event; proofs go in increasing event order. */
  void inclusion(BundleDocuments.InclusionLine proof) throws IOException {
    inclusion.out.write(BundleDocuments.writeLine(proof));
    inclusion.out.write('\n');
    proofs++;
  }

  /** Events appended so far. */
  int events() {
    return events;
  }

  /** Inclusion proofs appended so far. */
  int inclusionProofs() {
    return proofs;
  }

  /**
   * Stores the event entries, writes the manifest ({@code draft} with every entry's hash) and its
   * signature by {@code signer}, closes the zip and moves it to the target.
   */
  BundleManifest finish(BundleManifest draft, NoteSigner signer) throws IOException {
    for (Spool s : spools) {
      s.store(zip);
    }
    BundleManifest manifest = draft.withSha256(hashes).withFramesSha256(HexFormat.of().formatHex(frames.digest()));
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
    deleteSpools();
    return manifest;
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      try {
        zip.close();
      } finally {
        Files.deleteIfExists(tmp);
        deleteSpools();
      }
    }
  }

  private Spool spool(String name, Path dir, String base) throws IOException {
    Spool s = new Spool(name, Files.createTempFile(dir, base, ".part"));
    spools.add(s);
    return s;
  }

  private void deleteSpools() throws IOException {
    for (Spool s : spools) {
      s.out.close();
      Files.deleteIfExists(s.file);
    }
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  static byte[] sha256(byte[] bytes) {
    return newSha256().digest(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** One event entry growing in a temporary file, with its size and CRC-32 kept as it is written. */
  private static final class Spool {
    final String name;
    final Path file;
    final CRC32 crc = new CRC32();
    long size;
    final OutputStream out;

    Spool(String name, Path file) throws IOException {
      this.name = name;
      this.file = file;
      OutputStream raw = Files.newOutputStream(file);
      this.out = new BufferedOutputStream(new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          crc.update(b, off, len);
          size += len;
          raw.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          raw.close();
        }
      }, 1 << 16);
    }

    /** Copies the file into {@code zip} as one uncompressed entry. */
    void store(ZipOutputStream zip) throws IOException {
      out.flush();
      ZipEntry e = new ZipEntry(name);
      e.setMethod(ZipEntry.STORED);
      e.setSize(size);
      e.setCompressedSize(size);
      e.setCrc(crc.getValue());
      zip.putNextEntry(e);
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(zip);
      }
      zip.closeEntry();
    }
  }
}
