package dev.quartet.data.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks time-limited URLs: HMAC-SHA256 over method, path, the resource's facts and the
 * expiry. The query is exactly {@code exp=<epoch seconds>&sig=<base64url>}; anything else, any
 * altered byte of path or query, another resource or method, or a passed expiry is refused.
 */
public final class UrlSigner {
  /** Smallest accepted key: HMAC-SHA256's own block of strength. */
  public static final int MIN_KEY_BYTES = 32;
  private static final String DOMAIN = "quartet-signed-url/v1";
  // One spelling only: canonical decimal without leading zeros, unpadded base64url of 32 bytes.
  private static final Pattern QUERY = Pattern.compile("exp=([1-9][0-9]{0,11})&sig=([A-Za-z0-9_-]{43})");
  private final SecretKeySpec key;

  /** @throws IllegalArgumentException when {@code key} is shorter than {@link #MIN_KEY_BYTES} */
  public UrlSigner(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("URL signing key must have at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256");
  }

  /** The query string ({@code exp=…&sig=…}) granting {@code r} until {@code expiresAt} (whole seconds). */
  public String query(SignedResource r, Instant expiresAt) {
    long exp = expiresAt.getEpochSecond();
    if (exp <= 0) {
      throw new IllegalArgumentException("expiry must be after the epoch");
    }
    return "exp=" + exp + "&sig=" + encode(mac(r.method(), r.path(), r.subject(), exp));
  }

  /** The path and query of a URL granting {@code r} until {@code expiresAt}. */
  public String pathAndQuery(SignedResource r, Instant expiresAt) {
    return r.path() + "?" + query(r, expiresAt);
  }

  /**
   * Whether a request of {@code method} on {@code rawPath} with {@code rawQuery} is granted access to {@code r} at {@code now}.
   * The signature is checked (in constant time) before the expiry, so nothing about an unauthentic URL is told.
   */
  public UrlCheck check(SignedResource r, String method, String rawPath, String rawQuery, Instant now) {
    Matcher m = rawQuery == null ? null : QUERY.matcher(rawQuery);
    if (m == null || !m.matches()) {
      return new UrlCheck.Refused("the URL's query is not exactly exp=…&sig=…");
    }
    long exp = Long.parseLong(m.group(1));
    // Compared as text: decoding would accept several spellings of the last character (its unused bits).
    byte[] presented = m.group(2).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = encode(mac(method, rawPath, r.subject(), exp)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) {
      return new UrlCheck.Refused("the URL's signature does not match: it was altered, or is not for this "
          + (r instanceof UploadSlot ? "upload slot" : "blob") + " and method");
    }
    Instant expiresAt = Instant.ofEpochSecond(exp);
    if (!now.isBefore(expiresAt)) {
      return new UrlCheck.Refused("the URL expired at " + expiresAt);
    }
    return new UrlCheck.Granted(expiresAt);
  }

  private static String encode(byte[] mac) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  private byte[] mac(String method, String path, String subject, long exp) {
    String signed = DOMAIN + "\n" + method + "\n" + path + "\n" + subject + "\n" + exp;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
