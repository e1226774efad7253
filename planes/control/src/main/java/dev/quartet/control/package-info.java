/**
 * The control plane: desired state: trust root, signed configuration versions, rollout, lease tokens, worker registry. Every bean here exists only in a process that runs the control plane
 * (Micronaut environment "control").
 */
@Configuration
@Requires(env = "control")
package dev.quartet.control;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
