package dev.quartet.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * JUnit 5 extension behind {@link QuartetIntegration}: starts one real Kafka broker and one real
 * PostgreSQL per test JVM (on first use) and hands tests an {@link Infrastructure}. Both stop
 * when the JVM's tests are done.
 */
public final class QuartetHarness implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuartetHarness.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Infrastructure.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class)
        .infrastructure;
  }

  /** The per-JVM infrastructure; JUnit closes it after the last test. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource {
    private final Path dir;
    private final Infrastructure infrastructure;

    private Shared(Path dir, Infrastructure infrastructure) {
      this.dir = dir;
      this.infrastructure = infrastructure;
    }

    static Shared start() {
      try {
        Path dir = Files.createTempDirectory("quartet-it-");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("postgres"), 0, Duration.ofSeconds(60));
        return new Shared(dir, new Infrastructure(kafka, db));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the harness directory", e);
      }
    }

    @Override
    public void close() throws IOException {
      infrastructure.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
