package dev.quartet.control.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A minted API token as answered once to the admin who asked; the token itself is stored nowhere. */
@Serdeable
public record IssuedTokenView(String token, String expiresAt, String id, String subject, List<String> roles, String tenant) {
  @Override
  public String toString() {
    return "IssuedTokenView[id=" + id + ", subject=" + subject + ", roles=" + roles + ", tenant=" + tenant
        + ", expiresAt=" + expiresAt + "]";
  }
}
