package dev.quartet.harness;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integration test that needs a real Kafka broker and a real PostgreSQL: declare an
 * {@link Infrastructure} parameter on a test, lifecycle method or constructor to receive them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(QuartetHarness.class)
public @interface QuartetIntegration {}
