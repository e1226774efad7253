package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a witness has seen, per log origin: the largest verified checkpoint (size, root, and the
 * signed note itself, so a later dispute can show what the log signed). Persisted as JSON and
 * replaced atomically, so a crash leaves the old state or the new one, never half of each.
 */
record WitnessState(Map<String, Seen> origins) {
  WitnessState {
    origins = Collections.unmodifiableMap(new TreeMap<>(origins));
  }

  /** One origin's last verified checkpoint. */
  record Seen(long size, String rootHex, String signedNote) {
    Seen {
      if (size < 1 || !rootHex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("witness state: size must be >= 1 and root 64 lowercase hex");
      }
      Objects.requireNonNull(signedNote, "signedNote");
    }

    byte[] root() {
      return HexFormat.of().parseHex(rootHex);
    }
  }

  static WitnessState empty() {
    return new WitnessState(Map.of());
  }

  /** This state with {@code origin} now at {@code seen}. */
  WitnessState with(String origin, Seen seen) {
    Map<String, Seen> next = new TreeMap<>(origins);
    next.put(origin, seen);
    return new WitnessState(next);
  }

  /** The state in {@code file}; empty when the file does not exist yet. */
  static WitnessState read(Path file) {
    if (!Files.exists(file)) {
      return empty();
    }
    try {
      JsonNode root = BundleDocuments.JSON.readTree(Files.readAllBytes(file));
      Map<String, Seen> origins = new TreeMap<>();
      root.path("origins").fields().forEachRemaining(e -> origins.put(e.getKey(), new Seen(
          e.getValue().path("size").asLong(), e.getValue().path("root").asText(), e.getValue().path("signedNote").asText())));
      return new WitnessState(origins);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("witness state " + file + " is unreadable: " + Shown.text(e.getMessage()));
    }
  }

  /** Writes the state to {@code file} through a temporary file and an atomic move. */
  void write(Path file) throws IOException {
    ObjectNode root = BundleDocuments.JSON.createObjectNode();
    ObjectNode origins = root.putObject("origins");
    this.origins.forEach((origin, seen) -> origins.putObject(origin).put("size", seen.size()).put("root", seen.rootHex())
        .put("signedNote", seen.signedNote()));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".witness", ".tmp");
    Files.writeString(tmp, BundleDocuments.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
