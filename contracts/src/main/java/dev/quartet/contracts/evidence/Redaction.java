package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Salted commitments for sensitive evidence attributes (SPEC "Evidence": redaction). The event
 * carries {@code redacted:sha256:<hex of SHA-256(salt || UTF-8 value)>} in place of the value, so
 * the Merkle leaf is hashed over the committed form; the salt and value ({@link Opening}) are kept
 * apart and may be destroyed later without touching the leaf or any proof. Shared by every emitter
 * (which commits and deposits) and the evidence plane (which keeps and checks the openings).
 */
public final class Redaction {
  /** Marks a committed attribute value, so readers know it is not the value itself. */
  public static final String PREFIX = "redacted:sha256:";
  /** A fresh salt per attribute: 32 bytes, so equal values never give equal commitments. */
  public static final int SALT_BYTES = 32;

  private Redaction() {}

  /** The salt and value behind one commitment. */
  public record Opening(String attribute, String commitment, byte[] salt, String value) {
    /** @throws IllegalArgumentException when the salt has the wrong length or the commitment does not match salt and value */
    public Opening {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(value, "value");
      if (salt == null || salt.length != SALT_BYTES) {
        throw new IllegalArgumentException("Opening of " + attribute + ": salt must be " + SALT_BYTES + " bytes");
      }
      salt = salt.clone();
      if (!Redaction.commitment(salt, value).equals(commitment)) {
        throw new IllegalArgumentException("Opening of " + attribute + ": salt and value do not match the commitment");
      }
    }

    /** A copy of the salt. */
    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Opening x && attribute.equals(x.attribute) && commitment.equals(x.commitment)
          && Arrays.equals(salt, x.salt) && value.equals(x.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(attribute, commitment, Arrays.hashCode(salt), value);
    }

    /** Never the value or the salt: openings are what redaction keeps out of logs. */
    @Override
    public String toString() {
      return "Opening[" + attribute + " " + commitment + "]";
    }
  }

  /** Attributes with the sensitive ones committed, and the openings to keep apart. */
  public record Redacted(Map<String, String> attributes, Map<String, Opening> openings) {
    public Redacted {
      attributes = Map.copyOf(attributes);
      openings = Map.copyOf(openings);
    }
  }

  /** The commitment string of {@code value} under {@code salt}. */
  public static String commitment(byte[] salt, String value) {
    MessageDigest sha256 = sha256();
    sha256.update(salt);
    sha256.update(value.getBytes(StandardCharsets.UTF_8));
    return PREFIX + HexFormat.of().formatHex(sha256.digest());
  }

  /** Whether an attribute value is a commitment rather than a value. */
  public static boolean isCommitment(String attributeValue) {
    return attributeValue != null && attributeValue.startsWith(PREFIX)
        && attributeValue.substring(PREFIX.length()).matches("[0-9a-f]{64}");
  }

  /**
   * Replaces each attribute named in {@code sensitive} by a commitment under a fresh salt from
   * {@code random} (a {@link java.security.SecureRandom} in production).
   *
   * @throws IllegalArgumentException if a sensitive attribute is absent or already a commitment
   */
  public static Redacted redact(Map<String, String> attributes, Set<String> sensitive, RandomGenerator random) {
    Map<String, String> committed = new HashMap<>(attributes);
    Map<String, Opening> openings = new HashMap<>();
    for (String name : sensitive) {
      String value = attributes.get(name);
      if (value == null) {
        throw new IllegalArgumentException("sensitive attribute " + name + " is not among the event's attributes");
      }
      if (isCommitment(value)) {
        throw new IllegalArgumentException("attribute " + name + " is already a commitment");
      }
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      String commitment = commitment(salt, value);
      committed.put(name, commitment);
      openings.put(name, new Opening(name, commitment, salt, value));
    }
    return new Redacted(committed, openings);
  }

  /**
   * {@code event} (same id) with each {@code sensitive} attribute committed under a fresh salt, plus the openings to deposit.
   *
   * @throws IllegalArgumentException if {@code sensitive} is empty, or an attribute is absent or already a commitment
   */
  public static RedactedEvent redact(EvidenceEvent event, Set<String> sensitive, RandomGenerator random) {
    if (sensitive.isEmpty()) {
      throw new IllegalArgumentException("evidence " + event.getId() + ": no sensitive attribute named");
    }
    Redacted redacted = redact(event.getAttributes(), sensitive, random);
    EvidenceEvent committed = EvidenceEvent.newBuilder(event).setAttributes(redacted.attributes()).build();
    List<Opening> openings = redacted.openings().values().stream()
        .sorted(Comparator.comparing(Opening::attribute)).toList();
    return new RedactedEvent(committed, openings);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
