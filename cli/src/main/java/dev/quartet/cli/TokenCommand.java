package dev.quartet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code quartet token …}: API tokens minted by the control plane for people and services (admins only). */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Mint API tokens (admin only).",
    subcommands = {TokenCommand.Create.class})
final class TokenCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The lifetimes the control plane understands: 90s, 30m, 24h, 7d, or ISO-8601 such as PT24H. */
  static final Pattern TTL = Pattern.compile("[1-9][0-9]{0,8}[smhd]|P(?:[0-9]+D)?(?:T(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?");

  @ParentCommand
  Quartet root;

  /**
   * {@code quartet token create --role R [--role R2…] --tenant T [--subject S] [--ttl 24h]}: prints
   * the token alone on stdout (text) so it can be captured, or one JSON object (json).
   */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Mint a token: text output is the token alone on stdout; its id and expiry go to stderr.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--role", required = true, paramLabel = "R",
        description = "A role, repeatable: ADMIN, AUDITOR, SUBMITTER, APPROVER, WORKER, DATA_ADMIN, DATA_PUBLIC, DATA_INTERNAL, "
            + "DATA_CONFIDENTIAL, DATA_RESTRICTED") List<String> roles;
    @Option(names = "--tenant", required = true, paramLabel = "T", description = "The tenant the token is scoped to; \"*\" only with ADMIN")
    String tenant;
    @Option(names = "--subject", paramLabel = "S", description = "Who the token is for (default: token:<id>)") String subject;
    @Option(names = "--ttl", paramLabel = "D", description = "Lifetime: 90s, 30m, 24h, 7d or PT24H (default: the server's, 24h)")
    String ttl;

    @Override
    public Integer call() {
      JsonNode issued = parent.root.client().postJson("/v1/tokens", body());
      PrintWriter out = spec.commandLine().getOut();
      if (parent.root.global.json()) {
        ObjectNode shown = JSON.createObjectNode();
        for (String field : List.of("token", "expiresAt", "id", "subject", "tenant")) {
          shown.put(field, issued.path(field).asText());
        }
        shown.set("roles", issued.path("roles"));
        out.println(shown);
      } else {
        out.println(issued.path("token").asText());
        spec.commandLine().getErr().printf("token %s for %s, roles %s, tenant %s, expires %s%n", issued.path("id").asText(),
            issued.path("subject").asText(), issued.path("roles"), issued.path("tenant").asText(), issued.path("expiresAt").asText());
      }
      return ExitCode.OK.code();
    }

    /** The request body; shapes the server would refuse anyway are usage errors here, before any call. */
    byte[] body() {
      if (ttl != null && !TTL.matcher(ttl).matches()) {
        throw new CliFailure(ExitCode.USAGE, "--ttl must look like 90s, 30m, 24h, 7d or PT24H, was " + ttl);
      }
      for (String role : roles) {
        if (!role.matches("[A-Z_]{1,64}")) {
          throw new CliFailure(ExitCode.USAGE, "--role must be a role name such as SUBMITTER, was " + role);
        }
      }
      ObjectNode body = JSON.createObjectNode();
      if (subject != null) {
        body.put("subject", subject);
      }
      body.putPOJO("roles", roles);
      body.put("tenant", tenant);
      if (ttl != null) {
        body.put("ttl", ttl);
      }
      try {
        return JSON.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new CliFailure(ExitCode.USAGE, "cannot encode the request: " + e.getOriginalMessage());
      }
    }
  }
}
