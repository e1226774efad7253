package dev.quartet.contracts.evidence;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A bounded, AES-256-GCM encrypted, append-only evidence buffer on disk.
 *
 * <p>Key decision: the AES key is random and lives only in this object's memory; it is never
 * written anywhere. Plaintext never touches the disk (records are encrypted before the write), and
 * a crash makes the segments unreadable: the next run counts their frames from the plain but
 * authenticated headers ({@link #leftover()}) so the loss is still reported as a gap.
 *
 * <p>Segment file: frames {@code [int len][long emitSeq][long occurredAt][12-byte nonce][ciphertext+tag]}
 * where {@code len} counts what follows it. The GCM additional data binds the segment number,
 * the frame's index in the segment, emitSeq and occurredAt, so altering, reordering or removing a
 * frame is refused; the frame counts kept in memory catch truncation. Not thread-safe: the owner
 * serialises access.
 */
final class EncryptedEvidenceBuffer implements AutoCloseable {
  static final String SEGMENT_PREFIX = "segment-";
  static final String SEGMENT_SUFFIX = ".qeb";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER_BYTES = Integer.BYTES + 2 * Long.BYTES + NONCE_BYTES;
  private static final byte[] DOMAIN = "quartet.evidence-buffer.v1".getBytes(StandardCharsets.US_ASCII);

  /** One closed segment file and what it holds. */
  private record Segment(long number, Path path, int frames, long bytes) {}

  private final Path dir;
  private final long maxBytes;
  private final int maxEvents;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();
  private final LeftoverBuffer leftover;
  private final List<Segment> sealed = new ArrayList<>();
  private long nextSegment;
  private Segment open;
  private FileChannel openChannel;
  private int events;
  private long bytes;

  private EncryptedEvidenceBuffer(Path dir, long maxBytes, int maxEvents, LeftoverBuffer leftover) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.maxEvents = maxEvents;
    this.leftover = leftover;
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256, random);
      this.key = generator.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256 is not available in this JDK", e);
    }
  }

  /**
   * Opens the buffer in {@code dir} (created 0700 where POSIX on first append), counting and
   * deleting segments a previous run left behind. One process per directory.
   *
   * @throws IOException when the directory cannot be created, read or cleaned
   */
  static EncryptedEvidenceBuffer open(Path dir, long maxBytes, int maxEvents) throws IOException {
    if (maxBytes < 1 || maxEvents < 1) {
      throw new IllegalArgumentException("EncryptedEvidenceBuffer: bounds must be >= 1, were " + maxBytes + " bytes, " + maxEvents + " events");
    }
    LeftoverBuffer leftover = LeftoverBuffer.NONE;
    // The directory is created with the first segment: a process that never buffers leaves no trace.
    for (Path p : Files.isDirectory(dir) ? segments(dir) : List.<Path>of()) {
      leftover = countFrames(p, leftover);
      Files.delete(p);
    }
    return new EncryptedEvidenceBuffer(dir, maxBytes, maxEvents, leftover);
  }

  /** What a previous run left behind (now deleted). */
  LeftoverBuffer leftover() {
    return leftover;
  }

  /** Events held. */
  int events() {
    return events;
  }

  /** Bytes held on disk. */
  long bytes() {
    return bytes;
  }

  /**
   * Encrypts and appends {@code e}; returns false, writing nothing, when it would exceed a bound.
   *
   * @throws IOException when the segment cannot be written
   */
  boolean append(BufferedEvidence e) throws IOException {
    byte[] key = e.key();
    byte[] value = e.value();
    int plainLength = Integer.BYTES + (key == null ? 0 : key.length) + value.length;
    long frameBytes = (long) HEADER_BYTES + plainLength + TAG_BITS / 8;
    if (events + 1 > maxEvents || bytes + frameBytes > maxBytes) {
      return false;
    }
    if (open == null) {
      Files.createDirectories(dir, ownerOnly("rwx------"));
      long number = nextSegment++;
      Path path = dir.resolve(SEGMENT_PREFIX + String.format("%019d", number) + SEGMENT_SUFFIX);
      openChannel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly("rw-------"));
      open = new Segment(number, path, 0, 0);
    }
    ByteBuffer plain = ByteBuffer.allocate(plainLength);
    plain.putInt(key == null ? -1 : key.length);
    if (key != null) {
      plain.put(key);
    }
    plain.put(value);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealedBytes = crypt(Cipher.ENCRYPT_MODE, nonce, aad(open.number(), open.frames(), e.emitSeq(), e.occurredAtMillis()), plain.array());
    ByteBuffer frame = ByteBuffer.allocate((int) frameBytes);
    frame.putInt((int) frameBytes - Integer.BYTES).putLong(e.emitSeq()).putLong(e.occurredAtMillis()).put(nonce).put(sealedBytes).flip();
    while (frame.hasRemaining()) {
      openChannel.write(frame);
    }
    open = new Segment(open.number(), open.path(), open.frames() + 1, open.bytes() + frameBytes);
    events++;
    bytes += frameBytes;
    return true;
  }

  /**
   * Closes the segment being written (later appends start a new one) and decrypts every closed
   * segment, in append order.
   *
   * @throws EvidenceBufferCorruptedException when any frame fails to authenticate or is missing
   * @throws IOException when a segment cannot be read
   */
  List<BufferedEvidence> sealAndRead() throws IOException, EvidenceBufferCorruptedException {
    sealOpen();
    List<BufferedEvidence> all = new ArrayList<>();
    for (Segment s : sealed) {
      all.addAll(read(s));
    }
    return all;
  }

  /** Deletes the closed segments (after their events were written elsewhere). */
  void deleteSealed() throws IOException {
    for (Segment s : sealed) {
      Files.deleteIfExists(s.path());
      events -= s.frames();
      bytes -= s.bytes();
    }
    sealed.clear();
  }

  /** Deletes every segment, e.g. after the buffer proved unreadable. */
  void deleteAll() throws IOException {
    sealOpen();
    deleteSealed();
  }

  @Override
  public void close() throws IOException {
    // Segments stay on disk: ciphertext only, counted as lost by the next run.
    sealOpen();
  }

  private void sealOpen() throws IOException {
    if (open != null) {
      openChannel.close();
      sealed.add(open);
      open = null;
      openChannel = null;
    }
  }

  private List<BufferedEvidence> read(Segment s) throws IOException, EvidenceBufferCorruptedException {
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(s.path()));
    List<BufferedEvidence> out = new ArrayList<>();
    for (int index = 0; file.hasRemaining(); index++) {
      if (file.remaining() < Integer.BYTES) {
        throw corrupted(s, index, "truncated length", null);
      }
      int len = file.getInt();
      if (len < HEADER_BYTES - Integer.BYTES + TAG_BITS / 8 || len > file.remaining()) {
        throw corrupted(s, index, "frame length out of range", null);
      }
      long emitSeq = file.getLong();
      long occurredAt = file.getLong();
      byte[] nonce = new byte[NONCE_BYTES];
      file.get(nonce);
      byte[] sealedBytes = new byte[len - (HEADER_BYTES - Integer.BYTES)];
      file.get(sealedBytes);
      byte[] plain;
      try {
        plain = crypt(Cipher.DECRYPT_MODE, nonce, aad(s.number(), index, emitSeq, occurredAt), sealedBytes);
      } catch (IllegalStateException e) {
        throw corrupted(s, index, "does not authenticate", e);
      }
      ByteBuffer p = ByteBuffer.wrap(plain);
      int keyLength = p.getInt();
      if (keyLength > p.remaining()) {
        throw corrupted(s, index, "key length out of range", null);
      }
      byte[] key = keyLength < 0 ? null : new byte[keyLength];
      if (key != null) {
        p.get(key);
      }
      byte[] value = new byte[p.remaining()];
      p.get(value);
      out.add(new BufferedEvidence(emitSeq, occurredAt, key, value));
    }
    if (out.size() != s.frames()) {
      throw corrupted(s, out.size(), "expected " + s.frames() + " frames", null);
    }
    return out;
  }

  private EvidenceBufferCorruptedException corrupted(Segment s, int index, String why, Throwable cause) {
    return new EvidenceBufferCorruptedException("evidence buffer " + s.path().getFileName() + " frame " + index + ": " + why, cause);
  }

  private byte[] crypt(int mode, byte[] nonce, byte[] aad, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM " + (mode == Cipher.ENCRYPT_MODE ? "encryption" : "decryption") + " failed", e);
    }
  }

  private static byte[] aad(long segment, int index, long emitSeq, long occurredAt) {
    return ByteBuffer.allocate(DOMAIN.length + 2 * Long.BYTES + Integer.BYTES + Long.BYTES)
        .put(DOMAIN).putLong(segment).putInt(index).putLong(emitSeq).putLong(occurredAt).array();
  }

  private static LeftoverBuffer countFrames(Path segment, LeftoverBuffer counted) throws IOException {
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment));
    LeftoverBuffer total = counted;
    // A crash can cut the last frame short: count whole frames only.
    while (file.remaining() >= HEADER_BYTES) {
      int len = file.getInt();
      if (len < HEADER_BYTES - Integer.BYTES || len > file.remaining()) {
        break;
      }
      file.getLong();
      total = total.plus(file.getLong());
      file.position(file.position() + len - 2 * Long.BYTES);
    }
    return total;
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX);
      }).sorted().toList();
    }
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
  }
}
