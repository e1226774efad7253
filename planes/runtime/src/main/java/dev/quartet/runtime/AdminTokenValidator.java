package dev.quartet.runtime;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Accepts the bootstrap admin bearer token as principal "admin" with {@link Roles#BOOTSTRAP_ADMIN}
 * in every tenant. Compares SHA-256 digests in constant time so the comparison leaks neither the
 * token nor its length.
 */
@Singleton
public class AdminTokenValidator implements TokenValidator<HttpRequest<?>> {
  private static final Logger log = LoggerFactory.getLogger(AdminTokenValidator.class);
  private final byte[] expectedDigest;

  AdminTokenValidator(SecuritySettings settings) {
    String token = settings.adminToken();
    if (token == null || token.isBlank()) {
      log.warn("No admin token configured (quartet.security.admin-token): only API tokens are accepted");
      this.expectedDigest = null;
    } else {
      this.expectedDigest = sha256(token);
    }
  }

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    if (expectedDigest != null && MessageDigest.isEqual(expectedDigest, sha256(token))) {
      return Publishers.just(Authentication.build("admin", Roles.BOOTSTRAP_ADMIN, Map.of(Roles.TENANT_ATTRIBUTE, "*")));
    }
    return Publishers.empty();
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
