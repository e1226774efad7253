package dev.quartet.runtime;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts API tokens (HS256 JWTs minted by the control plane) next to the bootstrap admin token.
 * The principal is the token's subject, its roles the token's roles, and its attributes carry the
 * tenant ({@link Roles#TENANT_ATTRIBUTE}) and the token id ({@link Roles#TOKEN_ID_ATTRIBUTE}).
 */
@Singleton
public class ApiTokenValidator implements TokenValidator<HttpRequest<?>> {
  private static final Logger log = LoggerFactory.getLogger(ApiTokenValidator.class);
  private final Optional<ApiTokens> tokens;
  private final Clock clock;

  @Inject
  ApiTokenValidator(ApiTokenAuthority authority) {
    this(authority.tokens(), Clock.systemUTC());
  }

  /** A validator checking with {@code tokens} (none: refuse every token) at {@code clock}'s time. */
  public ApiTokenValidator(Optional<ApiTokens> tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    if (tokens.isEmpty()) {
      return Publishers.empty();
    }
    TokenCheck check = tokens.get().verify(token, clock.instant());
    if (check instanceof TokenCheck.Valid valid) {
      ApiTokenClaims c = valid.claims();
      return Publishers.just(Authentication.build(c.subject(), c.roles(),
          Map.of(Roles.TENANT_ATTRIBUTE, c.tenant(), Roles.TOKEN_ID_ATTRIBUTE, c.id())));
    }
    // The admin token reaches this validator too and is no JWT: only the reason is logged, never the token.
    log.debug("API token refused: {}", ((TokenCheck.Refused) check).reason());
    return Publishers.empty();
  }
}
