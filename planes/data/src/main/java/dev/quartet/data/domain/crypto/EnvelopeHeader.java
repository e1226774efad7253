package dev.quartet.data.domain.crypto;

import dev.quartet.data.domain.PayloadIntegrityException;
import dev.quartet.data.domain.Sha256;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header of an encrypted payload envelope, big-endian:
 * {@code "QPE1" | chunkSize u32 | noncePrefix[7] | keyIdLength u8 | keyId | wrapNonce[12] | wrappedKey[48]}.
 * Everything before {@code wrapNonce} is the associated data of the key wrap, and the header's
 * SHA-256 is the associated data of every chunk, so no header byte can change unnoticed.
 */
record EnvelopeHeader(int chunkSize, byte[] noncePrefix, String keyId, byte[] wrapNonce, byte[] wrappedKey) {
  static final byte[] MAGIC = {'Q', 'P', 'E', '1'};
  static final int NONCE_PREFIX_BYTES = 7;
  static final int GCM_NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int DATA_KEY_BYTES = 32;
  static final int WRAPPED_KEY_BYTES = DATA_KEY_BYTES + TAG_BYTES;
  /** Smallest and largest chunk: the largest bounds the buffer an (unverified) header can make us allocate. */
  static final int MIN_CHUNK_SIZE = 16;
  static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;

  EnvelopeHeader {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size must be " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE + ", was " + chunkSize);
    }
    if (noncePrefix.length != NONCE_PREFIX_BYTES || wrapNonce.length != GCM_NONCE_BYTES
        || wrappedKey.length != WRAPPED_KEY_BYTES || !keyId.matches(KeyEncryptionKey.ID_PATTERN)) {
      throw new IllegalArgumentException("malformed envelope header");
    }
  }

  /** The bytes the key wrap authenticates: magic, chunk size, nonce prefix and key id. */
  byte[] wrapAssociatedData() {
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(MAGIC.length + 4 + NONCE_PREFIX_BYTES + 1 + id.length)
        .put(MAGIC).putInt(chunkSize).put(noncePrefix).put((byte) id.length).put(id).array();
  }

  byte[] encode() {
    var out = new ByteArrayOutputStream();
    out.writeBytes(wrapAssociatedData());
    out.writeBytes(wrapNonce);
    out.writeBytes(wrappedKey);
    return out.toByteArray();
  }

  /** The associated data of every chunk: binds chunks to this exact header. */
  byte[] chunkAssociatedData() {
    var md = Sha256.newDigest();
    return md.digest(encode());
  }

  /**
   * The nonce of chunk {@code index}: prefix, the index, and a flag marking the final chunk, so
   * a reordered, dropped or truncated chunk decrypts under the wrong nonce and fails.
   */
  byte[] chunkNonce(long index, boolean last) {
    if (index < 0 || index > 0xFFFF_FFFFL) {
      throw new IllegalStateException("payload has more than 2^32 chunks");
    }
    return ByteBuffer.allocate(GCM_NONCE_BYTES).put(noncePrefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
  }

  /** Reads and checks the syntax of a header; authenticity is checked by the key unwrap. */
  static EnvelopeHeader read(InputStream in) throws IOException {
    byte[] fixed = readExactly(in, MAGIC.length + 4 + NONCE_PREFIX_BYTES + 1);
    if (!Arrays.equals(Arrays.copyOf(fixed, MAGIC.length), MAGIC)) {
      throw new PayloadIntegrityException("not a Quartet payload envelope (bad magic)");
    }
    ByteBuffer b = ByteBuffer.wrap(fixed, MAGIC.length, fixed.length - MAGIC.length);
    int chunkSize = b.getInt();
    byte[] prefix = new byte[NONCE_PREFIX_BYTES];
    b.get(prefix);
    int idLength = b.get() & 0xff;
    if (idLength == 0 || idLength > 64) {
      throw new PayloadIntegrityException("envelope header has a key id of " + idLength + " bytes");
    }
    String keyId = new String(readExactly(in, idLength), StandardCharsets.US_ASCII);
    byte[] wrapNonce = readExactly(in, GCM_NONCE_BYTES);
    byte[] wrappedKey = readExactly(in, WRAPPED_KEY_BYTES);
    try {
      return new EnvelopeHeader(chunkSize, prefix, keyId, wrapNonce, wrappedKey);
    } catch (IllegalArgumentException e) {
      throw new PayloadIntegrityException("malformed envelope header: " + e.getMessage());
    }
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new PayloadIntegrityException("envelope header truncated");
    }
    return b;
  }
}
