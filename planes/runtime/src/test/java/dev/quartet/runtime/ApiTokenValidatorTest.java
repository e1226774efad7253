package dev.quartet.runtime;

import io.micronaut.security.authentication.Authentication;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiTokenValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  private final ApiTokens tokens = new ApiTokens(SECRET, SKEW);
  private final ApiTokenValidator validator = new ApiTokenValidator(Optional.of(tokens), Clock.fixed(NOW, ZoneOffset.UTC));

  private static ApiTokenClaims claims(Instant issued, Instant expires) {
    return new ApiTokenClaims("ci-bot", List.of(Roles.SUBMITTER, Roles.DATA_INTERNAL), "acme", issued, expires, "jti-1");
  }

  private Authentication authenticate(String token) {
    return Mono.from(validator.validateToken(token, null)).block(Duration.ofSeconds(1));
  }

  @Test
  void acceptsAGoodTokenWithItsSubjectRolesTenantAndId() {
    Authentication who = authenticate(tokens.sign(claims(NOW.minusSeconds(60), NOW.plusSeconds(3600))));
    assertNotNull(who, "a current token signed with the secret is accepted");
    assertEquals("ci-bot", who.getName());
    assertEquals(List.of(Roles.SUBMITTER, Roles.DATA_INTERNAL), List.copyOf(who.getRoles()));
    assertEquals("acme", who.getAttributes().get(Roles.TENANT_ATTRIBUTE));
    assertEquals("jti-1", who.getAttributes().get(Roles.TOKEN_ID_ATTRIBUTE));
    assertTrue(TenantScope.permits(who, "acme"));
    assertTrue(!TenantScope.permits(who, "other"), "a tenant token permits no other tenant");
  }

  @Test
  void rejectsAnExpiredToken() {
    String token = tokens.sign(claims(NOW.minusSeconds(7200), NOW.minus(SKEW).minusSeconds(1)));
    assertNull(authenticate(token), "a token expired beyond the clock skew is refused");
    assertInstanceOf(TokenCheck.Refused.class, tokens.verify(token, NOW));
  }

  @Test
  void rejectsATamperedToken() {
    String token = tokens.sign(claims(NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"SUBMITTER\"", "\"ADMIN\"").replace("\"acme\"", "\"*\"");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    assertNull(authenticate(forged), "a payload changed after signing is refused");
    assertEquals(new TokenCheck.Refused("bad signature"), tokens.verify(forged, NOW));
  }

  @Test
  void rejectsATokenSignedWithAnotherSecret() {
    var other = new ApiTokens("another-secret-another-secret-another-secret".getBytes(StandardCharsets.UTF_8), SKEW);
    assertNull(authenticate(other.sign(claims(NOW.minusSeconds(60), NOW.plusSeconds(3600)))));
  }

  @Test
  void rejectsATokenWithoutRoles() {
    String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    String body = b64("{\"iss\":\"quartet\",\"sub\":\"ci-bot\",\"tenant\":\"acme\",\"jti\":\"j\",\"iat\":"
        + NOW.minusSeconds(60).getEpochSecond() + ",\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}");
    String token = header + "." + body + "." + hs256(header + "." + body);
    assertNull(authenticate(token), "a validly signed token without roles is refused");
    var refused = assertInstanceOf(TokenCheck.Refused.class, tokens.verify(token, NOW));
    assertTrue(refused.reason().contains("role"), refused.reason());
  }

  @Test
  void rejectsAnUnknownIssuerAndTheUnsignedAlgorithm() {
    String header = b64("{\"alg\":\"HS256\"}");
    String body = b64("{\"iss\":\"elsewhere\",\"sub\":\"x\",\"roles\":[\"ADMIN\"],\"tenant\":\"*\",\"jti\":\"j\",\"iat\":"
        + NOW.getEpochSecond() + ",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
    assertNull(authenticate(header + "." + body + "." + hs256(header + "." + body)), "another issuer is refused");
    String none = b64("{\"alg\":\"none\"}") + "." + body + ".";
    assertNull(authenticate(none), "alg none is refused");
  }

  @Test
  void refusesEveryTokenWithoutASecretAndIgnoresTheAdminToken() {
    var unconfigured = new ApiTokenValidator(Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
    String token = tokens.sign(claims(NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    assertNull(Mono.from(unconfigured.validateToken(token, null)).block(Duration.ofSeconds(1)));
    assertNull(authenticate("a-plain-admin-token"), "a non-JWT bearer token is left to the admin token validator");
  }

  @Test
  void tenantStarIsOnlyForAdminsAndSecretsMustBeLongEnough() {
    assertThrows(IllegalArgumentException.class,
        () -> new ApiTokenClaims("s", List.of(Roles.SUBMITTER), "*", NOW, NOW.plusSeconds(1), "j"));
    assertThrows(IllegalArgumentException.class,
        () -> new ApiTokenClaims("s", List.of("ROOT"), "acme", NOW, NOW.plusSeconds(1), "j"));
    assertThrows(IllegalArgumentException.class, () -> new ApiTokens(new byte[31], SKEW));
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String hs256(String signingInput) {
    try {
      var mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
