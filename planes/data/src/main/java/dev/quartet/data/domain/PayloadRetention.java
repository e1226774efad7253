package dev.quartet.data.domain;

import dev.quartet.contracts.config.ConfigSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long payloads are kept, from a config's {@code body.retention.payloads} ({@code 30d},
 * {@code 12h}, {@code 15m}, {@code 2s}), and the selection rule of the retention sweep: which
 * payloads are past it and which blobs their retirement frees. Pure.
 */
public record PayloadRetention(Duration keep) {
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

  public PayloadRetention {
    if (keep == null || keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("PayloadRetention: keep must be positive, was " + keep);
    }
  }

  /**
   * The payload retention of {@code snapshot}, or empty when its body has no
   * {@code retention.payloads} (payloads are then kept).
   *
   * @throws IllegalArgumentException naming the field when it is present but not a duration
   */
  public static Optional<PayloadRetention> of(ConfigSnapshot snapshot) {
    Object retention = snapshot.body().get("retention");
    if (retention == null) {
      return Optional.empty();
    }
    if (!(retention instanceof Map<?, ?> rules)) {
      throw new IllegalArgumentException("body.retention must be an object");
    }
    Object payloads = rules.get("payloads");
    if (payloads == null) {
      return Optional.empty();
    }
    if (!(payloads instanceof String text)) {
      throw new IllegalArgumentException("body.retention.payloads must be a duration such as 30d, 12h or 15m");
    }
    return Optional.of(parse(text));
  }

  /** {@code text} ({@code <n>s|m|h|d}, n from 1) as a retention. */
  public static PayloadRetention parse(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("body.retention.payloads must be a duration such as 30d, 12h or 15m, was "
          + (text == null ? "null" : "'" + text + "'"));
    }
    long n = Long.parseLong(m.group(1));
    return new PayloadRetention(switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    });
  }

  /** The newest stored-at instant a payload may have and still be retired at {@code now}. */
  public Instant cutoff(Instant now) {
    return now.minus(keep);
  }

  /** Whether a payload stored at {@code storedAt} is past this retention at {@code now} (the boundary is past). */
  public boolean expired(Instant storedAt, Instant now) {
    return !storedAt.isAfter(cutoff(now));
  }

  /**
   * The blobs {@code retired} payloads leave unreferenced: their blob keys but those a live payload
   * still references ({@code stillReferenced}). Content addressing shares one blob among payloads of
   * the same stored bytes, so a blob goes only with its last reference. Inline payloads free no blob.
   */
  public static Set<BlobKey> releasedBlobs(Collection<StoredPayload> retired, Set<BlobKey> stillReferenced) {
    Set<BlobKey> released = new LinkedHashSet<>();
    for (StoredPayload p : retired) {
      if (p.location() instanceof PayloadLocation.Blob blob && !stillReferenced.contains(blob.key())) {
        released.add(blob.key());
      }
    }
    return released;
  }
}
