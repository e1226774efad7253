package dev.quartet.control.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A request to mint an API token; checked by the issuer, not here, so every refusal is one 400.
 *
 * @param subject who the token is for; default {@code token:<id>}
 * @param roles role names, at least one
 * @param tenant a tenant name, or "*" for ADMIN tokens only
 * @param ttl lifetime such as {@code 24h} or {@code PT24H}; default from configuration
 */
@Serdeable
public record TokenRequest(@Nullable String subject, @Nullable List<String> roles, @Nullable String tenant, @Nullable String ttl) {}
