package dev.quartet.data.domain;

import java.time.Instant;

/** The outcome of checking a signed URL: granted until its expiry, or refused with the reason. */
public sealed interface UrlCheck permits UrlCheck.Granted, UrlCheck.Refused {
  /** The URL is authentic, unaltered, for this resource and method, and unexpired. */
  record Granted(Instant expiresAt) implements UrlCheck {}

  /** The URL grants nothing; {@code reason} names the failed check, never the signature. */
  record Refused(String reason) implements UrlCheck {}
}
