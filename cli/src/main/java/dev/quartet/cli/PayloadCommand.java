package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code quartet payload …}: store and fetch classified payloads through the data plane, sign URLs
 * to them, and (data admins) manage the quarantine and key-encryption keys.
 */
@Command(name = "payload", mixinStandardHelpOptions = true, description = "Store and fetch classified payloads.",
    subcommands = {PayloadCommand.Put.class, PayloadCommand.Get.class, PayloadUrlCommand.class, PayloadQuarantineCommand.class,
        PayloadKeysCommand.class})
final class PayloadCommand {
  @ParentCommand
  Quartet root;

  /** {@code quartet payload put --classification C [--route R] FILE}. */
  @Command(name = "put", mixinStandardHelpOptions = true, description = "Store a file; prints its reference.")
  static final class Put implements Callable<Integer> {
    @ParentCommand PayloadCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--classification", required = true, description = "PUBLIC, INTERNAL, CONFIDENTIAL or RESTRICTED") String classification;
    @Option(names = "--route", description = "Route of the applied config (default: the data plane's default route)") String route;
    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new CliFailure(ExitCode.USAGE, "no such file: " + file);
      }
      String query = "classification=" + URLEncoder.encode(classification, StandardCharsets.UTF_8)
          + (route == null ? "" : "&route=" + URLEncoder.encode(route, StandardCharsets.UTF_8));
      // The digest travels with the body so the server refuses bytes that changed on the way.
      JsonNode ref = parent.root.client().putFile("/v1/payloads?" + query, file, Map.of("X-Content-SHA256", sha256(file)));
      var out = spec.commandLine().getOut();
      if (parent.root.global.json()) {
        out.println(ref.toString());
      } else {
        out.printf("%s sha256 %s size %s %s%s%s%n", ref.path("ref").asText(), ref.path("sha256").asText(), ref.path("size").asText(),
            ref.path("classification").asText(), ref.path("inline").asBoolean() ? " inline" : " blob",
            ref.path("quarantined").asBoolean() ? " QUARANTINED: " + ref.path("quarantineReason").asText() : "");
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet payload get REF --out FILE}: written only when its SHA-256 matches the reference. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Fetch a payload into a file.")
  static final class Get implements Callable<Integer> {
    @ParentCommand PayloadCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "REF") String ref;
    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

    @Override
    public Integer call() throws IOException {
      String id = ref.startsWith("quartet:payload/") ? ref.substring("quartet:payload/".length()) : ref;
      if (!id.matches("[A-Za-z0-9-]{1,64}")) {
        throw new CliFailure(ExitCode.USAGE, "not a payload reference: " + ref);
      }
      var response = parent.root.client().download("/v1/payloads/" + id);
      String expected = response.headers().firstValue("X-Content-SHA256").orElse("");
      Path dir = out.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, ".payload", ".tmp");
      try (InputStream in = new DigestInputStream(response.body(), sha256()); OutputStream o = Files.newOutputStream(tmp)) {
        in.transferTo(o);
        String actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        if (!actual.equals(expected)) {
          throw new CliFailure(ExitCode.REJECTED, "payload " + ref + " arrived with sha256 " + actual + ", expected " + expected);
        }
      } catch (CliFailure | IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      spec.commandLine().getOut().printf(parent.root.global.json() ? "{\"ref\":\"%s\",\"sha256\":\"%s\",\"size\":%d}%n"
          : "%s sha256 %s size %d%n", ref, expected, Files.size(out));
      return ExitCode.OK.code();
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
