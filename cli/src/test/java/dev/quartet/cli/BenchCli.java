package dev.quartet.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code quartet bench …} in-process, as {@link Quartet#execute} does, whether or not bench is registered yet. */
final class BenchCli {
  private BenchCli() {}

  static QuartetCommandLineTest.Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    if (registered()) {
      int code = Quartet.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
      return new QuartetCommandLineTest.Run(code, out.toString(), err.toString());
    }
    CommandLine cli = new CommandLine(new Quartet());
    cli.addSubcommand("bench", new BenchCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    // Same mapping as Quartet.execute: a CliFailure is one line and its exit code.
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliFailure f) {
        line.getErr().println("quartet: " + f.getMessage());
        return f.exitCode().code();
      }
      throw e;
    });
    int code = cli.execute(args);
    return new QuartetCommandLineTest.Run(code, out.toString(), err.toString());
  }

  private static boolean registered() {
    return new CommandLine(new Quartet()).getSubcommands().containsKey("bench");
  }
}
