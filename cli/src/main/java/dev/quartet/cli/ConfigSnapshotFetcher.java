package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.DsseEnvelope;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fetches the config snapshots that exported events reference from the control plane's API. The
 * evidence plane cannot read control's data, so the CLI asks; whatever it cannot get (control
 * unreachable, a version missing or forbidden, a digest that does not match) is listed with the
 * reason instead, and the export still succeeds. Once control is unreachable it is not asked again.
 */
final class ConfigSnapshotFetcher {
  /** A snapshot some event references: scope and version to ask for, digest it must have. */
  record Wanted(String scope, Long version, String digest) {}

  /** A snapshot got from the control plane: its DSSE envelope JSON exactly as served. */
  record Fetched(String scope, long version, String digest, byte[] envelope) {}

  /** What was fetched and what is missing. */
  record Outcome(List<Fetched> fetched, List<BundleManifest.MissingConfig> missing) {}

  private final ApiClient control;
  private String unavailable;

  ConfigSnapshotFetcher(ApiClient control) {
    this.control = control;
  }

  Outcome fetch(Collection<Wanted> wanted) {
    List<Fetched> fetched = new ArrayList<>();
    List<BundleManifest.MissingConfig> missing = new ArrayList<>();
    Set<String> entries = new HashSet<>();
    for (Wanted w : wanted) {
      String reason = null;
      if (!BundleLayout.isScope(w.scope())) {
        reason = "the event names no config scope (attribute scope)";
      } else if (w.version() == null) {
        reason = "the event names no config version";
      } else if (!entries.add(w.scope() + "@" + w.version())) {
        reason = "another event names " + w.scope() + " v" + w.version() + " with a different digest";
      } else if (unavailable != null) {
        reason = unavailable;
      }
      if (reason == null) {
        reason = fetchOne(w, fetched);
      }
      if (reason != null) {
        missing.add(new BundleManifest.MissingConfig(w.scope(), w.version(), w.digest(), reason));
      }
    }
    return new Outcome(fetched, missing);
  }

  /** Adds the snapshot to {@code fetched}, or says why it cannot. */
  private String fetchOne(Wanted w, List<Fetched> fetched) {
    JsonNode answer;
    try {
      answer = control.getJson("/v1/config/snapshots/" + w.scope() + "?version=" + w.version());
    } catch (CliFailure f) {
      if (f.exitCode() == ExitCode.UNAVAILABLE) {
        unavailable = "control plane unavailable: " + f.getMessage();
        return unavailable;
      }
      return "control plane refused: " + f.getMessage();
    }
    byte[] envelope = answer.path("envelope").asText("").getBytes(StandardCharsets.UTF_8);
    String digest;
    try {
      digest = BundleWriter.sha256Hex(DsseEnvelope.fromJson(envelope).payload());
    } catch (IllegalArgumentException e) {
      return "control plane answered no DSSE envelope: " + Shown.text(e.getMessage());
    }
    if (!digest.equals(w.digest())) {
      return "control plane holds digest " + digest + " for " + w.scope() + " v" + w.version();
    }
    fetched.add(new Fetched(w.scope(), w.version(), digest, envelope));
    return null;
  }
}
