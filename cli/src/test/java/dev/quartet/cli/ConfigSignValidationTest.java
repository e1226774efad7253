package dev.quartet.cli;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quartet config sign} validates the document against the published body schema before signing. */
class ConfigSignValidationTest {
  @TempDir Path dir;

  private Path key() throws Exception {
    AdminKeyPair pair = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(pair, dir.resolve("alice"));
    return dir.resolve("alice.key");
  }

  @Test
  void theReferenceConfigurationSigns() throws Exception {
    Path in = Files.writeString(dir.resolve("config.yaml"), ConfigDocuments.referenceYaml());
    var r = QuartetCommandLineTest.run(Map.of(), "config", "sign", "--key", key().toString(), "--in", in.toString(),
        "--out", dir.resolve("snap.dsse.json").toString());
    assertEquals(0, r.exitCode(), "stderr: " + r.err());
    assertTrue(Files.exists(dir.resolve("snap.dsse.json")));
  }

  @Test
  void aMalformedBodyIsRefusedNamingItsPathAndNothingIsWritten() throws Exception {
    Path in = Files.writeString(dir.resolve("config.yaml"),
        ConfigDocuments.referenceYaml().replace("maxInputBytes: 10MiB", "maxInputBytes: ten megabytes"));
    Path out = dir.resolve("snap.dsse.json");
    var r = QuartetCommandLineTest.run(Map.of(), "config", "sign", "--key", key().toString(), "--in", in.toString(),
        "--out", out.toString());
    assertEquals(1, r.exitCode(), "stderr: " + r.err());
    assertTrue(r.err().contains("body.routes[0].maxInputBytes: must be a size such as 10MiB"), r.err());
    assertFalse(Files.exists(out), "nothing signed");
  }

  @Test
  void aMalformedChainFieldIsRefusedToo() throws Exception {
    Path in = Files.writeString(dir.resolve("config.yaml"),
        ConfigDocuments.referenceYaml().replace("expiresAt: \"2030-01-01T00:00:00Z\"", "expiresAt: \"soon\""));
    var r = QuartetCommandLineTest.run(Map.of(), "config", "sign", "--key", key().toString(), "--in", in.toString(),
        "--out", dir.resolve("snap.dsse.json").toString());
    assertEquals(1, r.exitCode(), "stderr: " + r.err());
    assertTrue(r.err().contains("expiresAt: must be an ISO-8601 instant"), r.err());
  }

  @Test
  void theSchemaIsPrintedOffline() {
    var r = QuartetCommandLineTest.run(Map.of(), "config", "schema");
    assertEquals(0, r.exitCode(), "stderr: " + r.err());
    assertTrue(r.out().contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""), r.out());
    assertTrue(r.out().contains("\"rollout\""), r.out());
  }
}
