package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.runtime.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Map;

/** The {@code quartet} command line: HTTP client of the planes, offline verifier, and launcher. */
@Command(name = "quartet", mixinStandardHelpOptions = true, versionProvider = Quartet.Version.class,
    description = "Quartet: signed configuration, leased execution, classified data and verifiable evidence on Kafka.",
    subcommands = {UpCommand.class, ServeCommand.class, KeysCommand.class, TrustCommand.class, ConfigCommand.class, PayloadCommand.class, EvidenceCommand.class,
        BenchCommand.class, WorkerCommand.class, TokenCommand.class, TaskCommand.class, AdminCommand.class,
        CommandLine.HelpCommand.class})
public final class Quartet {
  @Mixin
  GlobalOptions global = new GlobalOptions();

  /** The environment commands read ($QUARTET_TOKEN, $QUARTET_DATA_DIR); replaceable in tests. */
  Map<String, String> env = System.getenv();

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(), args));
  }

  /** Runs one command line and returns its exit code (spec: 0 ok, 1 rejected, 2 usage, 3 unavailable). */
  static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    Quartet root = new Quartet();
    root.env = env;
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true); // `quartet serve evidence`, `--output JSON`
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliFailure f) {
        line.getErr().println("quartet: " + f.getMessage());
        return f.exitCode().code();
      }
      line.getErr().println("quartet: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return ExitCode.UNAVAILABLE.code();
    });
    return cli.execute(args);
  }

  ApiClient client() {
    return new ApiClient(global.server, global.resolveToken(env), ApiClient.Settings.defaults());
  }

  /** Prints the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"quartet " + BuildInfo.version()};
    }
  }
}
