package dev.quartet.contracts.trust;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key files as the spec names them: {@code NAME.key} (PKCS#8 PEM, mode 0600) and {@code NAME.pub}
 * (SubjectPublicKeyInfo PEM), readable by OpenSSL and any other standard tool (RFC 8410).
 * Error messages name the file, never its content.
 */
public final class KeyFiles {
  // RFC 8410 §7/§10: the fixed DER wrappers of an Ed25519 seed (PKCS#8 v1, as OpenSSL writes it)
  // and of a raw public key; only the trailing 32 bytes vary.
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112"); // RFC 8410 §3
  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private KeyFiles() {}

  /** {@code NAME.key} next to {@code name}. */
  public static Path privateKeyFile(Path name) {
    return name.resolveSibling(name.getFileName() + ".key");
  }

  /** {@code NAME.pub} next to {@code name}. */
  public static Path publicKeyFile(Path name) {
    return name.resolveSibling(name.getFileName() + ".pub");
  }

  /**
   * Writes {@code NAME.key} (owner-only from creation) and {@code NAME.pub}.
   *
   * @throws java.nio.file.FileAlreadyExistsException if either file exists; nothing is then written
   */
  public static void writeNew(AdminKeyPair key, Path name) throws IOException {
    Path priv = privateKeyFile(name);
    Path pub = publicKeyFile(name);
    for (Path p : new Path[] {priv, pub}) {
      if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new java.nio.file.FileAlreadyExistsException(p.toString(), null, "refusing to overwrite a key file");
      }
    }
    byte[] pem = privateKeyPem(key).getBytes(StandardCharsets.US_ASCII);
    try {
      NewFiles.writeSecret(priv, pem);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
    try {
      NewFiles.write(pub, publicKeyPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      // A private key without its public half would be refused by the next `keys generate`.
      Files.deleteIfExists(priv);
      throw e;
    }
  }

  /** Reads a PKCS#8 PEM Ed25519 private key. @throws IllegalArgumentException if it is not one */
  public static AdminKeyPair readPrivateKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return parsePrivateKeyPem(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  /** Reads a SubjectPublicKeyInfo PEM Ed25519 public key. @throws IllegalArgumentException if it is not one */
  public static Ed25519PublicKey readPublicKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return parsePublicKeyPem(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The PEM text of a public key. */
  public static String publicKeyPem(Ed25519PublicKey key) {
    return pem(PUBLIC_LABEL, concat(SPKI_PREFIX, key.raw()));
  }

  static String privateKeyPem(AdminKeyPair key) {
    byte[] seed = key.seed();
    byte[] der = concat(PKCS8_PREFIX, seed);
    try {
      return pem(PRIVATE_LABEL, der);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Parses PEM text of an Ed25519 public key (SPKI). @throws IllegalArgumentException if it is not one */
  public static Ed25519PublicKey parsePublicKeyPem(String text) {
    byte[] der = unpem(text, PUBLIC_LABEL);
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
      requireEd25519(info.getAlgorithm());
      if (info.getPublicKeyData().getPadBits() != 0) {
        throw new IllegalArgumentException("bad public key bit string");
      }
      return new Ed25519PublicKey(info.getPublicKeyData().getOctets());
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw new IllegalArgumentException("not an Ed25519 SubjectPublicKeyInfo public key (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Parses PEM text of an Ed25519 private key (PKCS#8 v1, or v2 with a matching public key).
   * Messages never echo key material, so no cause is attached.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static AdminKeyPair parsePrivateKeyPem(String text) {
    byte[] der = unpem(text, PRIVATE_LABEL);
    byte[] seed = null;
    try {
      PrivateKeyInfo info;
      try {
        info = PrivateKeyInfo.getInstance(der);
        seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
      } catch (IOException | RuntimeException e) {
        // BouncyCastle's parse errors may quote the input: report only the kind of failure.
        throw new IllegalArgumentException("not an unencrypted PKCS#8 private key (" + e.getClass().getSimpleName() + ")");
      }
      requireEd25519(info.getPrivateKeyAlgorithm());
      if (seed.length != Ed25519.SEED_BYTES) {
        throw new IllegalArgumentException("Ed25519 private key is not 32 bytes");
      }
      AdminKeyPair key = AdminKeyPair.fromSeed(seed);
      if (info.hasPublicKey() && !Arrays.equals(info.getPublicKeyData().getOctets(), key.publicKey().raw())) {
        throw new IllegalArgumentException("embedded public key does not match the private key");
      }
      return key;
    } finally {
      Arrays.fill(der, (byte) 0);
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  private static void requireEd25519(AlgorithmIdentifier algorithm) {
    if (!ID_ED25519.equals(algorithm.getAlgorithm()) || algorithm.getParameters() != null) {
      throw new IllegalArgumentException("algorithm is not Ed25519");
    }
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] unpem(String text, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = from < 0 ? -1 : text.indexOf(end, from);
    if (from < 0 || to < 0 || text.indexOf(begin, from + 1) >= 0) {
      String found = text.contains("ENCRYPTED PRIVATE KEY") ? "; encrypted keys are not supported" : "";
      throw new IllegalArgumentException("expected one PEM block " + begin + found);
    }
    // Only whitespace may separate base64 lines; the MIME decoder would silently skip anything.
    String body = text.substring(from + begin.length(), to).replaceAll("[ \\t\\r\\n]", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM body is not base64");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
