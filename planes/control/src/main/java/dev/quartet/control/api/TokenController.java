package dev.quartet.control.api;

import dev.quartet.control.TokenIssuer;
import dev.quartet.runtime.ApiTokenClaims;
import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

/** Admins mint API tokens for people and services: {@code POST /v1/tokens}. */
@Controller("/v1/tokens")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {
  private final TokenIssuer issuer;

  TokenController(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  /** Mints a token; answered once, with {@code Cache-Control: no-store} so no cache keeps it. */
  @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<IssuedTokenView> create(Authentication who, @Nullable @Body TokenRequest request) {
    if (request == null) {
      throw new InvalidRequestException("a JSON body {subject, roles, tenant, ttl} is required");
    }
    TokenIssuer.IssuedToken issued = issuer.issue(request.subject(), request.roles(), request.tenant(), request.ttl(), who.getName());
    ApiTokenClaims c = issued.claims();
    return HttpResponse.<IssuedTokenView>status(HttpStatus.CREATED)
        .header("Cache-Control", "no-store")
        .body(new IssuedTokenView(issued.token(), c.expiresAt().toString(), c.id(), c.subject(), c.roles(), c.tenant()));
  }
}
