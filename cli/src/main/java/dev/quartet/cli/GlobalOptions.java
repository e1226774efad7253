package dev.quartet.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Options every command accepts (spec: "Command line", global options). */
final class GlobalOptions {
  /** Output formats of the spec. */
  enum Format { text, json }

  @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Quartet HTTP endpoint (default: ${DEFAULT-VALUE})", defaultValue = "http://127.0.0.1:8080")
  String server;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "T",
      description = "Bearer token; else $QUARTET_TOKEN, else admin.token of the data dir ($QUARTET_DATA_DIR, default ./quartet-data)")
  String token;

  @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json",
      description = "text (default) or json: one JSON object per line", defaultValue = "text")
  Format output;

  /** The token to send: flag, environment, then the data dir's admin.token; null when none. */
  String resolveToken(Map<String, String> env) {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String fromEnv = env.get("QUARTET_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Path file = dataDir(env).resolve("admin.token");
    if (Files.isReadable(file)) {
      try {
        return Files.readString(file).trim();
      } catch (IOException e) {
        throw new CliFailure(dev.quartet.contracts.ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
      }
    }
    return null;
  }

  static Path dataDir(Map<String, String> env) {
    return Path.of(env.getOrDefault("QUARTET_DATA_DIR", "quartet-data"));
  }

  boolean json() {
    return output == Format.json;
  }
}
