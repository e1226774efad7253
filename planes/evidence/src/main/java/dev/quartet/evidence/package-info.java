/**
 * The evidence plane: the append-only evidence log, its index and its HTTP API. Every bean here
 * exists only in a process that runs the evidence plane (Micronaut environment "evidence").
 */
@Configuration
@Requires(env = "evidence")
package dev.quartet.evidence;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
