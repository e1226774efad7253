package dev.quartet.runtime;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Signs and checks API tokens: compact HS256 JWTs with claims {@code iss}=quartet, {@code sub},
 * {@code roles}, {@code tenant}, {@code iat}, {@code exp} and {@code jti}. Pure: the caller
 * supplies the time. Only HS256 is accepted, whatever the token's header claims, so a token can
 * never pick a weaker algorithm (or "none") for itself.
 */
public final class ApiTokens {
  /** The {@code iss} of every token Quartet mints; tokens of any other issuer are refused. */
  public static final String ISSUER = "quartet";
  /** Claim holding the role names. */
  public static final String ROLES_CLAIM = "roles";
  /** Claim holding the tenant name, or "*". */
  public static final String TENANT_CLAIM = "tenant";
  /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
  public static final int MIN_SECRET_BYTES = 32;

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration clockSkew;

  /** @throws IllegalArgumentException when the secret is shorter than {@link #MIN_SECRET_BYTES} */
  public ApiTokens(byte[] secret, Duration clockSkew) {
    if (secret == null || secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the API token secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (clockSkew == null || clockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must be zero or positive");
    }
    try {
      this.signer = new MACSigner(secret);
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable API token secret: " + e.getMessage(), e);
    }
    this.clockSkew = clockSkew;
  }

  /** The compact JWT carrying {@code claims}, signed with the secret. */
  public String sign(ApiTokenClaims claims) {
    JWTClaimsSet set = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(claims.subject())
        .claim(ROLES_CLAIM, claims.roles())
        .claim(TENANT_CLAIM, claims.tenant())
        .issueTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expiresAt()))
        .jwtID(claims.id())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), set);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed for token " + claims.id(), e);
    }
    return jwt.serialize();
  }

  /** Checks signature, issuer, expiry and the presence and shape of every claim at {@code now}. */
  public TokenCheck verify(String token, Instant now) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return new TokenCheck.Refused("not a signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      return new TokenCheck.Refused("algorithm " + jwt.getHeader().getAlgorithm() + " is not HS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        return new TokenCheck.Refused("bad signature");
      }
    } catch (JOSEException e) {
      return new TokenCheck.Refused("unverifiable signature: " + e.getMessage());
    }
    try {
      return check(jwt.getJWTClaimsSet(), now);
    } catch (ParseException e) {
      return new TokenCheck.Refused("malformed claims: " + e.getMessage());
    }
  }

  private TokenCheck check(JWTClaimsSet set, Instant now) throws ParseException {
    if (!ISSUER.equals(set.getIssuer())) {
      return new TokenCheck.Refused("unknown issuer " + set.getIssuer());
    }
    Date exp = set.getExpirationTime();
    Date iat = set.getIssueTime();
    if (exp == null || iat == null) {
      return new TokenCheck.Refused("exp and iat are required");
    }
    if (!now.isBefore(exp.toInstant().plus(clockSkew))) {
      return new TokenCheck.Refused("expired at " + exp.toInstant());
    }
    if (iat.toInstant().isAfter(now.plus(clockSkew))) {
      return new TokenCheck.Refused("issued in the future, at " + iat.toInstant());
    }
    List<String> roles = set.getStringListClaim(ROLES_CLAIM);
    try {
      return new TokenCheck.Valid(new ApiTokenClaims(set.getSubject(), roles, set.getStringClaim(TENANT_CLAIM),
          iat.toInstant(), exp.toInstant(), set.getJWTID()));
    } catch (IllegalArgumentException e) {
      return new TokenCheck.Refused(e.getMessage());
    }
  }
}
