package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code quartet payload keys rotate --classification C}: a new key-encryption key; existing data keys re-wrapped. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Administer the data plane's key-encryption keys.",
    subcommands = {PayloadKeysCommand.Rotate.class})
final class PayloadKeysCommand {
  @ParentCommand
  PayloadCommand parent;

  /** {@code quartet payload keys rotate --classification C}. */
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Rotate a classification's key-encryption key: existing payloads' data keys are re-wrapped, content untouched,"
          + " and old keys no payload needs are retired. Needs the DATA_ADMIN role.")
  static final class Rotate implements Callable<Integer> {
    @ParentCommand PayloadKeysCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--classification", required = true, description = "CONFIDENTIAL or RESTRICTED") String classification;

    @Override
    public Integer call() {
      String c = classification.trim().toUpperCase(Locale.ROOT);
      if (!c.matches("[A-Z]{1,32}")) {
        throw new CliFailure(ExitCode.USAGE, "not a classification: " + classification);
      }
      JsonNode r = parent.parent.root.client().postJson("/v1/payloads/keys/" + c + "/rotate", new byte[0]);
      var out = spec.commandLine().getOut();
      if (parent.parent.root.global.json()) {
        out.println(r.toString());
      } else {
        out.printf("%s key %s: %d data key(s) re-wrapped, %d not, retired %s, kept %s%n", r.path("classification").asText(),
            r.path("keyId").asText(), r.path("rewrapped").asLong(), r.path("failed").asLong(), list(r.path("retiredKeyIds")),
            list(r.path("keptKeyIds")));
      }
      out.flush();
      // Data keys left on an old key are a rotation not finished: say so with the exit code.
      return r.path("failed").asLong() == 0 ? ExitCode.OK.code() : ExitCode.REJECTED.code();
    }

    private static String list(JsonNode ids) {
      StringBuilder b = new StringBuilder();
      ids.forEach(id -> b.append(b.length() == 0 ? "" : ",").append(id.asText()));
      return b.length() == 0 ? "none" : b.toString();
    }
  }
}
