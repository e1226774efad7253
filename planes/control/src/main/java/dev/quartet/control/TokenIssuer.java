package dev.quartet.control;

import dev.quartet.contracts.ProblemType;
import dev.quartet.control.config.TokenSettings;
import dev.quartet.control.domain.TokenTtl;
import dev.quartet.runtime.ApiTokenAuthority;
import dev.quartet.runtime.ApiTokenClaims;
import dev.quartet.runtime.ApiTokens;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.ProblemException;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mints API tokens for admins: checks the request, signs the token and records {@code token.issued}
 * as evidence before handing it out, so no token exists that the evidence log does not name. The
 * token itself is never stored, logged or put in evidence; its id ({@code jti}) is. The token's
 * subject names a person or service, so the evidence holds only a salted commitment to it
 * ({@link #REDACTED}); its opening goes to the evidence plane, where an auditor may read or destroy it.
 */
@Singleton
public class TokenIssuer {
  /** Evidence type of a minted token. */
  public static final String TOKEN_ISSUED = "token.issued";
  /** Attributes of {@link #TOKEN_ISSUED} committed rather than written: the subject the token names. */
  public static final Set<String> REDACTED = Set.of("subject");
  /** Evidence tenant of tokens scoped to every tenant, as for other platform-wide events. */
  private static final String SYSTEM_TENANT = "system";
  private static final Logger log = LoggerFactory.getLogger(TokenIssuer.class);
  private final ApiTokenAuthority authority;
  private final EvidenceEmitter evidence;
  private final TokenSettings settings;
  private final Clock clock = Clock.systemUTC();

  TokenIssuer(ApiTokenAuthority authority, EvidenceEmitter evidence, TokenSettings settings) {
    this.authority = authority;
    this.evidence = evidence;
    this.settings = settings;
  }

  /** A signed token and the claims it carries. */
  public record IssuedToken(String token, ApiTokenClaims claims) {
    @Override
    public String toString() {
      return "IssuedToken[" + claims + "]";
    }
  }

  /**
   * Mints a token for {@code subject} (default {@code token:<id>}) with {@code roles} in {@code tenant}.
   *
   * @throws InvalidRequestException when a role, the tenant, the subject or the ttl is not allowed
   * @throws ProblemException UNAVAILABLE when no secret is configured or the evidence was not recorded
   */
  public IssuedToken issue(String subject, List<String> roles, String tenant, String ttl, String principal) {
    ApiTokens tokens = authority.tokens().orElseThrow(() -> new ProblemException(ProblemType.UNAVAILABLE,
        "API tokens are not configured on this control plane (quartet.security.token-secret)"));
    // JWTs carry whole seconds: truncating here makes the answered expiresAt the token's exp.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String id = UUID.randomUUID().toString();
    ApiTokenClaims claims;
    try {
      Duration lifetime = TokenTtl.parse(ttl, settings.defaultTtl(), settings.maxTtl());
      claims = new ApiTokenClaims(subject == null || subject.isBlank() ? "token:" + id : subject.trim(),
          roles == null ? List.of() : roles, tenant, now, now.plus(lifetime), id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    String token = tokens.sign(claims);
    record(claims, principal, now);
    // No subject here: it is redacted in the evidence, so it must not linger in logs either.
    log.info("API token issued jti={} roles={} tenant={} expiresAt={} by={}", claims.id(), claims.roles(), claims.tenant(),
        claims.expiresAt(), principal);
    return new IssuedToken(token, claims);
  }

  private void record(ApiTokenClaims claims, String principal, Instant now) {
    EvidenceEvent event = EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(TOKEN_ISSUED)
        .setTenant(ApiTokenClaims.ALL_TENANTS.equals(claims.tenant()) ? SYSTEM_TENANT : claims.tenant())
        .setCorrelationId("token:" + claims.id())
        .setConfigVersion(null)
        .setConfigDigest(null)
        .setApprovals(List.of())
        .setArtifactDigests(Map.of())
        .setOutcome("accepted")
        .setOccurredAt(now)
        .setProducerPlane(Plane.CONTROL)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(Map.of(
            "principal", principal,
            "subject", claims.subject(),
            "roles", String.join(",", claims.roles()),
            "tenant", claims.tenant(),
            "jti", claims.id(),
            "issuedAt", claims.issuedAt().toString(),
            "expiresAt", claims.expiresAt().toString()))
        .build();
    try {
      evidence.emitRequired(event, REDACTED).get(settings.evidenceTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("API token not issued jti={}: token.issued was not recorded: {}", claims.id(), e.toString());
      throw new ProblemException(ProblemType.UNAVAILABLE, "the evidence topic is not accepting writes now; no token was issued, retry");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(ProblemType.UNAVAILABLE, "interrupted while recording the token; no token was issued, retry");
    }
  }
}
