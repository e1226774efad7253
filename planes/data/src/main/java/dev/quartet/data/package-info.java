/**
 * The data plane: payload movement: classification, routing, size limits, encryption, backpressure, quarantine. Every bean here exists only in a process that runs the data plane
 * (Micronaut environment "data").
 */
@Configuration
@Requires(env = "data")
package dev.quartet.data;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
