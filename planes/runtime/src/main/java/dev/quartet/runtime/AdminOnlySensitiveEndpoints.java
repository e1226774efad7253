package dev.quartet.runtime;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Sensitive management endpoints (metrics) are for administrators only. */
@Singleton
@Replaces(SensitiveEndpointRule.class)
public class AdminOnlySensitiveEndpoints extends SensitiveEndpointRule {

  AdminOnlySensitiveEndpoints(EndpointSensitivityProcessor endpointSensitivityProcessor) {
    super(endpointSensitivityProcessor);
  }

  @Override
  @NonNull
  protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(@NonNull HttpRequest<?> request,
                                                                      @NonNull Authentication authentication,
                                                                      @NonNull ExecutableMethod<?, ?> method) {
    return Mono.just(authentication.getRoles().contains(Roles.ADMIN) ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
  }
}
