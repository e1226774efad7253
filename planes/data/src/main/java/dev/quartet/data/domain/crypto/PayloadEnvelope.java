package dev.quartet.data.domain.crypto;

import dev.quartet.data.domain.PayloadIntegrityException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Streaming AES-256-GCM envelope encryption with the JDK provider: a fresh data key per payload,
 * wrapped by a key-encryption key; the plaintext is cut into chunks, each sealed on its own with
 * a nonce derived from its index and a final-chunk flag (the STREAM construction), so memory
 * stays at one chunk and truncation, reordering or any altered byte fails authentication.
 *
 * <p>Layout: {@link EnvelopeHeader}, then chunks of {@code chunkSize + 16} bytes; the last chunk
 * holds 0..chunkSize plaintext bytes and always exists (an empty payload is one empty final chunk).
 */
public final class PayloadEnvelope {
  /** Default plaintext bytes per chunk. */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
  static final int TAG_BITS = EnvelopeHeader.TAG_BYTES * 8;
  static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private PayloadEnvelope() {}

  /**
   * An output stream that encrypts what is written to it into {@code out}. Call
   * {@link EnvelopeEncryptor#finish()} (or close) to seal the final chunk.
   */
  public static EnvelopeEncryptor encrypting(OutputStream out, KeyEncryptionKey kek, SecureRandom random, int chunkSize)
      throws IOException {
    byte[] dataKey = new byte[EnvelopeHeader.DATA_KEY_BYTES];
    byte[] prefix = new byte[EnvelopeHeader.NONCE_PREFIX_BYTES];
    byte[] wrapNonce = new byte[EnvelopeHeader.GCM_NONCE_BYTES];
    random.nextBytes(dataKey);
    random.nextBytes(prefix);
    random.nextBytes(wrapNonce);
    try {
      SecretKey dek = new SecretKeySpec(dataKey, "AES");
      var unsealed = new EnvelopeHeader(chunkSize, prefix, kek.id(), wrapNonce, new byte[EnvelopeHeader.WRAPPED_KEY_BYTES]);
      Cipher wrap = Cipher.getInstance(TRANSFORMATION);
      wrap.init(Cipher.ENCRYPT_MODE, kek.key(), new GCMParameterSpec(TAG_BITS, wrapNonce));
      wrap.updateAAD(unsealed.wrapAssociatedData());
      byte[] wrapped = wrap.doFinal(dataKey);
      var header = new EnvelopeHeader(chunkSize, prefix, kek.id(), wrapNonce, wrapped);
      out.write(header.encode());
      return new EnvelopeEncryptor(out, header, dek);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * An input stream of the plaintext of the envelope read from {@code in}. It returns only
   * authenticated bytes and fails with {@link PayloadIntegrityException} on any alteration,
   * truncation, reordering, unknown key or wrong key.
   */
  public static EnvelopeDecryptor decrypting(InputStream in, KekResolver keys) throws IOException {
    return decrypting(in, keys, null);
  }

  /**
   * As {@link #decrypting(InputStream, KekResolver)}, taking the data key from {@code rewrapped}
   * (its wrap after a KEK rotation) instead of the header when it is given.
   */
  public static EnvelopeDecryptor decrypting(InputStream in, KekResolver keys, WrappedDataKey rewrapped) throws IOException {
    EnvelopeHeader header = EnvelopeHeader.read(in);
    byte[] dataKey = unwrap(header, rewrapped, keys);
    try {
      String keyId = rewrapped == null ? header.keyId() : rewrapped.keyId();
      return new EnvelopeDecryptor(in, header, new SecretKeySpec(dataKey, "AES"), keyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Wraps the data key of the envelope starting in {@code in} with {@code kek}: reads the header
   * only, unwraps its data key (from {@code current} when the key was re-wrapped before, else from
   * the header) and wraps it anew, bound to that header and to {@code kek}'s id.
   *
   * @throws PayloadIntegrityException when the header is malformed or its data key does not unwrap
   */
  public static WrappedDataKey rewrap(InputStream in, WrappedDataKey current, KekResolver keys, KeyEncryptionKey kek,
                                      SecureRandom random) throws IOException {
    EnvelopeHeader header = EnvelopeHeader.read(in);
    byte[] dataKey = unwrap(header, current, keys);
    byte[] nonce = new byte[EnvelopeHeader.GCM_NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher wrap = Cipher.getInstance(TRANSFORMATION);
      wrap.init(Cipher.ENCRYPT_MODE, kek.key(), new GCMParameterSpec(TAG_BITS, nonce));
      wrap.updateAAD(rewrapAssociatedData(header, kek.id()));
      return new WrappedDataKey(kek.id(), nonce, wrap.doFinal(dataKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private static byte[] unwrap(EnvelopeHeader header, WrappedDataKey rewrapped, KekResolver keys) throws IOException {
    String keyId = rewrapped == null ? header.keyId() : rewrapped.keyId();
    KeyEncryptionKey kek = keys.find(keyId)
        .orElseThrow(() -> new PayloadIntegrityException("unknown key-encryption key " + keyId));
    try {
      Cipher unwrap = Cipher.getInstance(TRANSFORMATION);
      if (rewrapped == null) {
        unwrap.init(Cipher.DECRYPT_MODE, kek.key(), new GCMParameterSpec(TAG_BITS, header.wrapNonce()));
        unwrap.updateAAD(header.wrapAssociatedData());
        return unwrap.doFinal(header.wrappedKey());
      }
      unwrap.init(Cipher.DECRYPT_MODE, kek.key(), new GCMParameterSpec(TAG_BITS, rewrapped.nonce()));
      unwrap.updateAAD(rewrapAssociatedData(header, keyId));
      return unwrap.doFinal(rewrapped.wrapped());
    } catch (AEADBadTagException e) {
      throw new PayloadIntegrityException("data key does not unwrap with key " + keyId + " (wrong key or altered header)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    }
  }

  /**
   * What a re-wrap authenticates: a domain tag, the digest of the exact envelope header (so the
   * wrapped key belongs to that envelope only) and the wrapping key's id.
   */
  private static byte[] rewrapAssociatedData(EnvelopeHeader header, String keyId) {
    byte[] tag = "QPE1-rewrap".getBytes(StandardCharsets.US_ASCII);
    byte[] headerDigest = header.chunkAssociatedData();
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(tag.length + headerDigest.length + 1 + id.length)
        .put(tag).put(headerDigest).put((byte) id.length).put(id).array();
  }

  /** Bytes an envelope of {@code plaintextSize} takes, for sizing before encrypting. */
  public static long envelopeSize(long plaintextSize, int chunkSize, String keyId) {
    // An exact multiple ends with a full final chunk; only the empty payload has an empty one.
    long chunks = Math.max(1, (plaintextSize + chunkSize - 1) / chunkSize);
    int header = EnvelopeHeader.MAGIC.length + 4 + EnvelopeHeader.NONCE_PREFIX_BYTES + 1
        + keyId.getBytes(StandardCharsets.US_ASCII).length + EnvelopeHeader.GCM_NONCE_BYTES + EnvelopeHeader.WRAPPED_KEY_BYTES;
    return header + plaintextSize + chunks * EnvelopeHeader.TAG_BYTES;
  }
}
