package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.JsonParser;
import dev.quartet.control.domain.ConfigDocumentException;
import dev.quartet.control.domain.ConfigSnapshot;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configuration documents on the admin's machine: YAML in, canonical JSON signed in DSSE out. */
final class ConfigDocuments {
  /** DSSE payloadType of configuration snapshots. */
  static final String PAYLOAD_TYPE = "application/vnd.quartet.config+json";
  private static final int MAX_YAML_BYTES = 1024 * 1024;

  private ConfigDocuments() {}

  /** The configuration the project ships (the same document as ../shared/examples/config.yaml). */
  static String referenceYaml() {
    try (InputStream in = ConfigDocuments.class.getResourceAsStream("reference-config.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("reference-config.yaml missing from the CLI jar", e);
    }
  }

  /** Parses YAML into the JSON value model (maps, lists, strings, numbers, booleans). */
  static Map<String, Object> fromYaml(String yaml) {
    if (yaml.length() > MAX_YAML_BYTES) {
      throw new CliFailure(ExitCode.REJECTED, "configuration document is over " + MAX_YAML_BYTES + " bytes");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Object loaded;
    try {
      loaded = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new CliFailure(ExitCode.REJECTED, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Object json = toJson(loaded, "$");
    if (!(json instanceof Map<?, ?>)) {
      throw new CliFailure(ExitCode.REJECTED, "configuration document must be a mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = (Map<String, Object>) json;
    return doc;
  }

  /**
   * Signs {@code doc} with {@code key}. With an existing envelope, adds a signature to it after
   * checking it holds the same document (its issuedAt is kept); otherwise stamps issuedAt now.
   */
  static DsseEnvelope sign(Map<String, Object> doc, AdminKeyPair key, DsseEnvelope existing, Instant now) {
    Map<String, Object> stamped = new LinkedHashMap<>(doc);
    if (existing != null) {
      if (!PAYLOAD_TYPE.equals(existing.payloadType())) {
        throw new CliFailure(ExitCode.REJECTED, "existing envelope is not a configuration snapshot (" + existing.payloadType() + ")");
      }
      Object signed = JsonParser.parse(existing.payload());
      if (signed instanceof Map<?, ?> m && !doc.containsKey("issuedAt") && m.get("issuedAt") != null) {
        stamped.put("issuedAt", m.get("issuedAt"));
      }
      if (!Arrays.equals(CanonicalJson.serialize(stamped), existing.payload())) {
        throw new CliFailure(ExitCode.REJECTED, "the existing envelope signs a different document; refusing to add a signature");
      }
      validate(existing.payload());
      return Dsse.sign(existing, key);
    }
    stamped.putIfAbsent("issuedAt", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    byte[] canonical = CanonicalJson.serialize(stamped);
    validate(canonical);
    return Dsse.sign(PAYLOAD_TYPE, canonical, key);
  }

  /**
   * Checks the document the control plane would check — fields, chain fields and the body against
   * the published JSON schema — so a malformed one is never signed.
   *
   * @throws CliFailure exit 1 naming the field path, e.g. {@code body.routes[0].maxInputBytes: must be a size such as 10MiB}
   */
  static void validate(byte[] canonical) {
    try {
      ConfigSnapshot.fromSignedPayload(canonical);
    } catch (ConfigDocumentException e) {
      throw new CliFailure(ExitCode.REJECTED, "not signed: " + e.getMessage());
    }
  }

  private static Object toJson(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof java.math.BigInteger big) {
      throw new CliFailure(ExitCode.REJECTED, path + ": number " + big + " is too large for JSON");
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new CliFailure(ExitCode.REJECTED, path + ": keys must be strings, found " + e.getKey());
        }
        out.put(k, toJson(e.getValue(), path + "." + k));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(toJson(list.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    throw new CliFailure(ExitCode.REJECTED, path + ": " + value.getClass().getSimpleName()
        + " values are not JSON; quote timestamps and other such values");
  }
}
