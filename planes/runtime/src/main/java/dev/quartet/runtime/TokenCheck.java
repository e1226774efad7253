package dev.quartet.runtime;

/** What checking a presented API token came to: its claims, or why it is refused. */
public sealed interface TokenCheck {
  /** The token is signed with our secret, from our issuer, current and well formed. */
  record Valid(ApiTokenClaims claims) implements TokenCheck {}

  /** The token is refused; {@code reason} names why and never quotes the token. */
  record Refused(String reason) implements TokenCheck {}
}
