package dev.quartet.control.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lifetime a token request asks for: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT24H}). */
public final class TokenTtl {
  private static final Pattern SHORT = Pattern.compile("([1-9][0-9]{0,8})([smhd])");

  private TokenTtl() {}

  /**
   * The requested lifetime, {@code fallback} when none is named.
   *
   * @throws IllegalArgumentException when malformed, not positive, or longer than {@code max}
   */
  public static Duration parse(String text, Duration fallback, Duration max) {
    Duration ttl = text == null || text.isBlank() ? fallback : parse(text.trim());
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + text);
    }
    if (ttl.compareTo(max) > 0) {
      throw new IllegalArgumentException("ttl " + text + " is longer than the maximum of " + max);
    }
    return ttl;
  }

  private static Duration parse(String text) {
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("ttl must look like 90s, 30m, 24h, 7d or PT24H, was " + text);
    }
  }
}
