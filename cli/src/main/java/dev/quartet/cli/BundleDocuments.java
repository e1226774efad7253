package dev.quartet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
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

  /** The same mapper writing one line per document: renderings and inclusion proofs are JSON lines. */
  static final ObjectWriter COMPACT = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

  private BundleDocuments() {}

  /**
   * One line of {@code proofs/inclusion.jsonl}: the RFC 9162 inclusion proof of bundle event
   * {@code event} (leaf {@code leafIndex} of {@code partition}, as its record frame says) against the
   * checkpoint entry {@code checkpoint}; {@code hashes} leaf upwards, hex. The leaf hash is the record's.
   */
  record InclusionLine(int event, int partition, long leafIndex, long treeSize, List<String> hashes, String checkpoint) {
    InclusionLine {
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

  /** {@code document} as one line of JSON, without the newline. */
  static byte[] writeLine(Object document) {
    try {
      return COMPACT.writeValueAsBytes(document);
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
