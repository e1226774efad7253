package dev.quartet.data;

import dev.quartet.data.domain.DataRoles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.List;
import java.util.Map;

/**
 * Fixed bearer tokens of principals with chosen roles and tenants, so the ITs can exercise data
 * roles and tenants over real HTTP before tokens can be minted. Test classpath only, and only
 * when a test switches it on.
 */
@Singleton
@Requires(property = TestTokenValidator.ENABLED, value = "true")
public class TestTokenValidator implements TokenValidator<HttpRequest<?>> {
  static final String ENABLED = "quartet.data.test-tokens.enabled";

  /** A principal a test token stands for. */
  record Principal(String token, String name, List<String> roles, String tenant) {}

  /** Every data role, every tenant: what the bootstrap admin is agreed to carry. */
  static final Principal DATA_ALL = new Principal("it-data-all", "data-all",
      List.of("ADMIN", DataRoles.DATA_PUBLIC, DataRoles.DATA_INTERNAL, DataRoles.DATA_CONFIDENTIAL,
          DataRoles.DATA_RESTRICTED, DataRoles.DATA_ADMIN), "*");
  /** Platform admin rights only: no data role. */
  static final Principal ADMIN_ONLY = new Principal("it-admin-only", "admin-only", List.of("ADMIN"), "*");
  /** Cleared up to INTERNAL, every tenant. */
  static final Principal INTERNAL_ANY = new Principal("it-internal-any", "internal-any", List.of(DataRoles.DATA_INTERNAL), "*");
  /** Tenant acme, cleared up to CONFIDENTIAL. */
  static final Principal ACME = new Principal("it-acme", "alice", List.of(DataRoles.DATA_CONFIDENTIAL), "acme");
  /** Tenant globex, cleared for everything: tenancy, not clearance, must keep it out of acme's payloads. */
  static final Principal GLOBEX = new Principal("it-globex", "bob", List.of(DataRoles.DATA_RESTRICTED), "globex");

  private static final Map<String, Principal> BY_TOKEN = Map.of(DATA_ALL.token(), DATA_ALL, ADMIN_ONLY.token(), ADMIN_ONLY,
      INTERNAL_ANY.token(), INTERNAL_ANY, ACME.token(), ACME, GLOBEX.token(), GLOBEX);

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    Principal p = BY_TOKEN.get(token);
    return p == null ? Publishers.empty()
        : Publishers.just(Authentication.build(p.name(), p.roles(), Map.of("tenant", p.tenant())));
  }
}
