package dev.quartet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Collections;
import java.util.LinkedHashMap;

/**
 * {@code manifest.json} of an evidence bundle: format, when and with which selector it was made,
 * counts, where each part is (see {@link BundleLayout}), the config snapshots it could not get and
 * why, the SHA-256 (hex) of every entry but the event entries, and for those the SHA-256 of the
 * frame headers of the records entry ({@link Events#framesSha256()}). Its exact bytes are signed ({@code manifest.sig},
 * {@link BundleSignature}), so the selection itself is the exporter's: the signed checkpoints and
 * snapshots carry the trust in each part, the hashes catch damage, and verify checks every count.
 */
record BundleManifest(String format, String createdAt, Map<String, String> selector, Counts counts, String keys,
                      Events events, List<String> checkpoints, List<String> consistencyProofs,
                      List<ConfigSnapshot> configSnapshots, List<MissingConfig> missingConfigSnapshots,
                      Map<String, String> sha256) {
  BundleManifest {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(createdAt, "createdAt");
    selector = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(selector, "selector")));
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(events, "events");
    checkpoints = List.copyOf(Objects.requireNonNull(checkpoints, "checkpoints"));
    consistencyProofs = List.copyOf(Objects.requireNonNull(consistencyProofs, "consistencyProofs"));
    configSnapshots = List.copyOf(Objects.requireNonNull(configSnapshots, "configSnapshots"));
    missingConfigSnapshots = List.copyOf(Objects.requireNonNull(missingConfigSnapshots, "missingConfigSnapshots"));
    // In entry order as written; a hash map, since a bundle lists hundreds of thousands of entries.
    sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(sha256, "sha256")));
  }

  /**
   * How many of each part the bundle holds: {@code events} records (and renderings), of which
   * {@code inclusionProofs} carry their own inclusion proof (the others are proven by recomputing a
   * checkpoint's root from a complete range of leaves).
   */
  record Counts(int events, int inclusionProofs, int checkpoints, int consistencyProofs, int configSnapshots,
                int missingConfigSnapshots) {}

  /**
   * The three entries that hold the events, item n of each being event n (see {@link BundleLayout}),
   * and {@code framesSha256}: the SHA-256 (hex) of the records entry's frame headers in order
   * ({@link BundleRecords#headersSha256()}), which binds which leaves the bundle holds, in which
   * order, with which leaf hashes and lengths. Null only in a draft, before the writer fills it in.
   */
  record Events(String records, String renderings, String inclusionProofs, String framesSha256) {
    Events {
      Objects.requireNonNull(records, "records");
      Objects.requireNonNull(renderings, "renderings");
      Objects.requireNonNull(inclusionProofs, "inclusionProofs");
    }

    /** The layout's names, without the frames hash yet. */
    static Events standard() {
      return new Events(BundleLayout.RECORDS, BundleLayout.RENDERINGS, BundleLayout.INCLUSION, null);
    }

    /** The same entries with {@code framesSha256}. */
    Events withFramesSha256(String sha256) {
      return new Events(records, renderings, inclusionProofs, sha256);
    }

    /** The three entry names. */
    List<String> entries() {
      return List.of(records, renderings, inclusionProofs);
    }
  }

  /** A signed config snapshot (DSSE envelope JSON as the control plane serves it) referenced by events. */
  record ConfigSnapshot(String scope, long version, String digest, String envelope) {
    ConfigSnapshot {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(envelope, "envelope");
    }
  }

  /** A snapshot some event references (by digest) that export could not include, and why. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record MissingConfig(String scope, Long version, String digest, String reason) {
    MissingConfig {
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The counts these lists imply; events and inclusion proofs are counted as their entries are read. */
  Counts countedLists() {
    return new Counts(counts.events(), counts.inclusionProofs(), checkpoints.size(), consistencyProofs.size(), configSnapshots.size(),
        missingConfigSnapshots.size());
  }

  /** The same manifest with the entries' SHA-256 filled in. */
  BundleManifest withSha256(Map<String, String> hashes) {
    return new BundleManifest(format, createdAt, selector, counts, keys, events, checkpoints, consistencyProofs,
        configSnapshots, missingConfigSnapshots, hashes);
  }

  /** The same manifest with the events' frames hash filled in. */
  BundleManifest withFramesSha256(String framesSha256) {
    return new BundleManifest(format, createdAt, selector, counts, keys, events.withFramesSha256(framesSha256), checkpoints,
        consistencyProofs, configSnapshots, missingConfigSnapshots, sha256);
  }

  byte[] toJson() {
    return BundleDocuments.write(this);
  }

  /** @throws IllegalArgumentException when {@code json} is not a well-formed manifest */
  static BundleManifest fromJson(byte[] json) {
    return BundleDocuments.read(json, BundleManifest.class);
  }
}
