package dev.quartet.runtime;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * This process's credential for depositing redaction openings at the evidence plane: a short-lived
 * API token with the single role {@link Roles#EVIDENCE_DEPOSITOR} (tenant {@code system}), minted
 * in-process with the shared {@code quartet.security.token-secret} and re-minted at half-life. It is
 * never written anywhere and only ever sent to the evidence plane; least privilege, so a plane
 * never needs the admin token to deposit.
 */
@Singleton
public class DepositorCredential {
  /** Tenant of depositor tokens: deposits concern events of every tenant, but the role reads nothing. */
  public static final String TENANT = "system";
  private static final Logger log = LoggerFactory.getLogger(DepositorCredential.class);
  private final Optional<ApiTokens> tokens;
  private final RedactionDeliveryProperties settings;
  private final String subject;
  private final Clock clock = Clock.systemUTC();
  private String token;
  private Instant renewAfter = Instant.MIN;

  DepositorCredential(ApiTokenAuthority authority, RedactionDeliveryProperties settings,
                      EvidenceClientProperties evidence, Environment environment) {
    this.tokens = authority.tokens();
    this.settings = settings;
    List<String> planes = environment.getActiveNames().stream().sorted().toList();
    String name = "plane:" + String.join(",", planes) + "@" + evidence.instanceName();
    this.subject = name.length() > ApiTokenClaims.MAX_SUBJECT_LENGTH ? name.substring(0, ApiTokenClaims.MAX_SUBJECT_LENGTH) : name;
  }

  /** A valid depositor bearer token, or empty when no token secret is configured. */
  public synchronized Optional<String> bearer() {
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (token == null || !now.isBefore(renewAfter)) {
      ApiTokenClaims claims = new ApiTokenClaims(subject, List.of(Roles.EVIDENCE_DEPOSITOR), TENANT, now,
          now.plus(settings.tokenTtl()), UUID.randomUUID().toString());
      token = tokens.get().sign(claims);
      renewAfter = now.plus(settings.tokenTtl().dividedBy(2));
      log.debug("Depositor token minted jti={} subject={} expiresAt={}", claims.id(), subject, claims.expiresAt());
    }
    return Optional.of(token);
  }
}
