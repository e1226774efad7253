package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URL;
import java.util.Map;
import java.util.Set;

/**
 * One running plane process: a Micronaut context with one or more planes switched on (each plane
 * is a Micronaut environment named by {@link Plane#id()}) and its HTTP server. `quartet up` runs
 * all four in one process; production runs one per process. Nothing may rely on the former.
 */
public final class PlaneProcess implements AutoCloseable {
  private final ApplicationContext context;
  private final EmbeddedServer server;

  private PlaneProcess(ApplicationContext context, EmbeddedServer server) {
    this.context = context;
    this.server = server;
  }

  /**
   * Starts the given planes with {@code properties} on top of application.yml and the
   * environment. The caller owns shutdown (no JVM hook is registered), so it can stop the planes
   * before the infrastructure under them.
   */
  public static PlaneProcess start(Set<Plane> planes, Map<String, Object> properties) {
    if (planes.isEmpty()) {
      throw new IllegalArgumentException("a plane process runs at least one plane");
    }
    String[] environments = planes.stream().map(Plane::id).sorted().toArray(String[]::new);
    ApplicationContext context = ApplicationContext.builder()
        .environments(environments)
        .deduceEnvironment(false)
        .banner(false)
        .properties(properties)
        .start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new PlaneProcess(context, server);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** The base URL the HTTP server listens on. */
  public URL url() {
    return server.getURL();
  }

  /** The Micronaut context, for tests and embedding. */
  public ApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    if (server.isRunning()) {
      server.stop();
    }
    if (context.isRunning()) {
      context.close();
    }
  }
}
