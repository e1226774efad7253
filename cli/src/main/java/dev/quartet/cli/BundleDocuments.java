package dev.quartet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The JSON documents inside a bundle besides the manifest: inclusion and consistency proofs and
 * the log's keys. Hashes are lowercase hex; proofs name the checkpoint entries they are against.
 * Reading is strict (unknown or missing fields are errors): a bundle is untrusted input.
 */
final class BundleDocuments {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private BundleDocuments() {}

  /** RFC 9162 inclusion proof of event {@code eventId} (leaf {@code leafIndex}) against the checkpoint entry {@code checkpoint}. */
  record InclusionFile(String eventId, int partition, long offset, long leafIndex, long treeSize, String leafHash,
                       List<String> hashes, String checkpoint) {
    InclusionFile {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(leafHash, "leafHash");
      hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /** RFC 9162 consistency proof from checkpoint entry {@code from} to checkpoint entry {@code to} of one partition. */
  record ConsistencyFile(int partition, long fromSize, long toSize, List<String> hashes, String from, String to) {
    ConsistencyFile {
      hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** One checkpoint verifier key as the evidence plane lists it. */
  record Key(String name, String noteKeyId, String vkey, String publicKey, String keyId) {
    Key {
      Objects.requireNonNull(vkey, "vkey");
      Objects.requireNonNull(publicKey, "publicKey");
    }
  }

  /** {@code keys.json}: the log's checkpoint keys, for reference; trust comes from the trust root only. */
  record KeysFile(String originPrefix, List<Key> keys) {
    KeysFile {
      Objects.requireNonNull(originPrefix, "originPrefix");
      keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    }
  }

  static byte[] write(Object document) {
    try {
      return JSON.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** @throws IllegalArgumentException naming the problem when {@code json} is not a well-formed {@code type} */
  static <T> T read(byte[] json, Class<T> type) {
    try {
      T value = JSON.readValue(json, type);
      if (value == null) {
        throw new IllegalArgumentException("empty document");
      }
      return value;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input and spans lines: keep its first line, bounded.
      String message = String.valueOf(e.getOriginalMessage());
      throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + Shown.text(message.lines().findFirst().orElse("")));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getClass().getSimpleName());
    }
  }
}
