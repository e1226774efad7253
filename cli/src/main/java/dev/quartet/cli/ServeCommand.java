package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.Plane;
import dev.quartet.runtime.PlaneProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quartet serve PLANE…}: runs planes as their own deployable against an existing Kafka
 * and PostgreSQL, configured by application.yml and the environment (QUARTET_KAFKA_BOOTSTRAP,
 * QUARTET_DB_URL, QUARTET_<PLANE>_DB_USER/PASSWORD, QUARTET_ADMIN_TOKEN, QUARTET_HTTP_PORT).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run one or more planes (control, execution, data, evidence) against existing Kafka and PostgreSQL.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..4", paramLabel = "PLANE", description = "control | execution | data | evidence")
  List<Plane> planes;

  @Override
  public Integer call() throws InterruptedException {
    PlaneProcess process = PlaneProcess.start(EnumSet.copyOf(planes), Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      process.close();
      stopped.countDown();
    }, "quartet-shutdown"));
    spec.commandLine().getOut().printf("Serving %s on %s%n", planes, process.url());
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCode.OK.code();
  }
}
