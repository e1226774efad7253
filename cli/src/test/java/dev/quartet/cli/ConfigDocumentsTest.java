package dev.quartet.cli;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDocumentsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final SecureRandom random = new SecureRandom(new byte[] {4, 2});
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);

  @Test
  void shippedReferenceConfigIsTheSharedExample() throws Exception {
    Path shared = Path.of("../../shared/examples/config.yaml");
    assertTrue(Files.exists(shared), "the shared example is beside the checkout: " + shared.toAbsolutePath());
    assertEquals(Files.readString(shared), ConfigDocuments.referenceYaml(), "cli/src/main/resources/.../reference-config.yaml drifted");
  }

  @Test
  void signingStampsIssuedAtAndSignsCanonicalJson() {
    var doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    var envelope = ConfigDocuments.sign(doc, alice, null, NOW);
    @SuppressWarnings("unchecked")
    Map<String, Object> signed = (Map<String, Object>) JsonParser.parse(envelope.payload());
    assertEquals("2026-06-01T12:00:00Z", signed.get("issuedAt"));
    assertEquals("default/dev", signed.get("scope"));
    assertEquals(1, envelope.signatures().size());
  }

  @Test
  void signingAgainAddsASignatureToTheSameDocument() {
    var doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    var once = ConfigDocuments.sign(doc, alice, null, NOW);
    var twice = ConfigDocuments.sign(doc, bob, once, NOW.plusSeconds(3600));
    assertEquals(2, twice.signatures().size());
    assertEquals(new String(once.payload()), new String(twice.payload()), "payload unchanged, issuedAt kept");
  }

  @Test
  void refusesToCountersignADifferentDocument() {
    var once = ConfigDocuments.sign(ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml()), alice, null, NOW);
    var other = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml().replace("version: 1", "version: 9"));
    CliFailure f = assertThrows(CliFailure.class, () -> ConfigDocuments.sign(other, bob, once, NOW));
    assertEquals(1, f.exitCode().code());
  }

  @Test
  void unquotedTimestampsAreRefusedWithTheirPath() {
    CliFailure f = assertThrows(CliFailure.class, () -> ConfigDocuments.fromYaml("scope: a/b\nexpiresAt: 2030-01-01T00:00:00Z\n"));
    assertTrue(f.getMessage().startsWith("$.expiresAt"), f.getMessage());
  }
}
