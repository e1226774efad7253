package dev.quartet.contracts.trust;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DSSE v1 signing and k-of-n verification with Ed25519 keys (secure-systems-lab/dsse
 * "protocol.md"). Signatures are over {@link #pae}, never over the raw payload, so a signature
 * for one payload type can never be replayed as another.
 */
public final class Dsse {
  private static final byte[] PREFIX = "DSSEv1 ".getBytes(StandardCharsets.US_ASCII);
  private static final int SHOWN_TYPE_CHARS = 80;

  private Dsse() {}

  /** Pre-Authentication Encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, LEN in ASCII decimal bytes. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(PREFIX.length + type.length + payload.length + 24);
    out.writeBytes(PREFIX);
    out.writeBytes((type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A new envelope over {@code payload} signed by {@code key}. */
  public static DsseEnvelope sign(String payloadType, byte[] payload, AdminKeyPair key) {
    return sign(DsseEnvelope.unsigned(payloadType, payload), key);
  }

  /** {@code envelope} with {@code key}'s signature added (replacing an earlier one by the same key). */
  public static DsseEnvelope sign(DsseEnvelope envelope, AdminKeyPair key) {
    byte[] sig = key.sign(pae(envelope.payloadType(), envelope.payload()));
    return envelope.withSignature(new DsseSignature(key.keyId().hex(), sig));
  }

  /**
   * Checks that at least {@code threshold} distinct keys of {@code trusted} made a valid signature
   * over {@code envelope}'s PAE, and that its type is {@code expectedType}. Signatures whose keyid
   * is not trusted are ignored, not counted; one with an empty keyid is tried against every trusted
   * key. At most {@link DsseEnvelope#MAX_SIGNATURES} signatures are looked at.
   *
   * @throws IllegalArgumentException if {@code threshold} is below 1
   */
  public static Verification verify(DsseEnvelope envelope, String expectedType, Collection<Ed25519PublicKey> trusted, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("Dsse.verify: threshold must be at least 1, was " + threshold);
    }
    Map<String, Ed25519PublicKey> byId = new LinkedHashMap<>();
    trusted.forEach(k -> byId.put(k.keyId().hex(), k));
    if (threshold > byId.size()) {
      return new Verification.Failed("threshold", "threshold " + threshold + " exceeds the " + byId.size() + " trusted keys");
    }
    if (!envelope.payloadType().equals(expectedType)) {
      return new Verification.Failed("payloadType", "expected " + expectedType + ", was " + shown(envelope.payloadType()));
    }
    List<DsseSignature> sigs = envelope.signatures();
    if (sigs.isEmpty()) {
      return new Verification.Failed("signatures", "the envelope has no signatures");
    }
    if (sigs.size() > DsseEnvelope.MAX_SIGNATURES) {
      return new Verification.Failed("signatures", sigs.size() + " signatures, at most " + DsseEnvelope.MAX_SIGNATURES + " accepted");
    }
    byte[] pae = pae(envelope.payloadType(), envelope.payload());
    Set<KeyId> signers = new TreeSet<>();
    List<String> invalid = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      DsseSignature s = sigs.get(i);
      byte[] sig = s.sig();
      if (s.keyid().isEmpty()) {
        for (Ed25519PublicKey k : byId.values()) {
          if (!signers.contains(k.keyId()) && k.verifies(pae, sig)) {
            signers.add(k.keyId());
            break;
          }
        }
      } else if (byId.containsKey(s.keyid())) {
        Ed25519PublicKey k = byId.get(s.keyid());
        if (k.verifies(pae, sig)) {
          signers.add(k.keyId());
        } else {
          invalid.add("signatures[" + i + "] by " + s.keyid());
        }
      }
    }
    if (signers.size() < threshold) {
      return new Verification.Failed("threshold", signers.size() + " of " + threshold
          + " required signatures by distinct trusted keys are valid" + (invalid.isEmpty() ? "" : "; invalid: " + String.join(", ", invalid)));
    }
    return new Verification.Verified(signers);
  }

  /** Untrusted text made safe for a one-line message: bounded, printable ASCII only. */
  static String shown(String untrusted) {
    String cut = untrusted.length() <= SHOWN_TYPE_CHARS ? untrusted : untrusted.substring(0, SHOWN_TYPE_CHARS) + "...";
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
