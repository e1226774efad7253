/**
 * The execution plane: current work: workers, tasks, task leases and handlers. Every bean here exists only in a process that runs the execution plane
 * (Micronaut environment "execution").
 */
@Configuration
@Requires(env = "execution")
package dev.quartet.execution;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
