package dev.quartet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The planes' HTTP API as the bench uses it: publish a config, store payloads, submit tasks. Every
 * request is bounded by the operation timeout. Answers are values: the caller decides whether a
 * 429 is an error (task submission) or a figure (overload counting).
 */
final class StackClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  StackClient(String url, String token, Duration timeout) {
    this.url = url;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  /** A stored payload's reference, as {@code PUT /v1/payloads} answers it. */
  record PayloadRef(String ref, String sha256, long size, String classification, String keyId) {}

  /** The status of a put, and the reference when it was stored (201). */
  record PutOutcome(int status, PayloadRef stored) {
    boolean accepted() {
      return status == 201;
    }
  }

  /** The task id when submitted (200/201), else the status. */
  record SubmitOutcome(int status, String taskId) {
    boolean accepted() {
      return status == 200 || status == 201;
    }
  }

  /** A body to put with its SHA-256, computed once: the client's hashing is not what is measured. */
  record Upload(byte[] body, String sha256) {
    static Upload of(byte[] body) {
      try {
        return new Upload(body, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
    }
  }

  void publishConfig(byte[] envelopeJson) {
    HttpResponse<String> r = send(request("/v1/config/snapshots").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelopeJson)).build());
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IllegalStateException("the control plane refused the bench config: HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** Waits until the in-process worker applied {@code version}. */
  void awaitWorkerConfig(long version, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    long seen = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(request("/v1/workers/self").GET().build());
      if (r.statusCode() == 200) {
        seen = json(r.body()).path("configVersion").asLong(0);
        if (seen >= version) {
          return;
        }
      }
      pause(Duration.ofMillis(200));
    }
    throw new BenchUnavailableException("the bench worker did not apply config v" + version + " within " + limit
        + " (last seen v" + seen + ")", null);
  }

  PutOutcome putPayload(Upload upload, String classification) {
    HttpResponse<String> r = send(request("/v1/payloads?classification=" + classification)
        .header("Content-Type", "application/octet-stream")
        .header("X-Content-SHA256", upload.sha256())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(upload.body())).build());
    if (r.statusCode() != 201) {
      return new PutOutcome(r.statusCode(), null);
    }
    JsonNode j = json(r.body());
    return new PutOutcome(201, new PayloadRef(j.path("ref").asText(), j.path("sha256").asText(), j.path("size").asLong(),
        j.path("classification").asText(), j.hasNonNull("keyId") ? j.path("keyId").asText() : null));
  }

  /** As {@link #putPayload}, without waiting: the overload scenario keeps many puts in flight. */
  java.util.concurrent.CompletableFuture<PutOutcome> putPayloadAsync(Upload upload, String classification) {
    HttpRequest request = request("/v1/payloads?classification=" + classification)
        .header("Content-Type", "application/octet-stream")
        .header("X-Content-SHA256", upload.sha256())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(upload.body())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != 201) {
        return new PutOutcome(r.statusCode(), null);
      }
      JsonNode j = json(r.body());
      return new PutOutcome(201, new PayloadRef(j.path("ref").asText(), j.path("sha256").asText(), j.path("size").asLong(),
          j.path("classification").asText(), null));
    });
  }

  /** Whether the data plane still answers for a stored payload ({@code HEAD /v1/payloads/{id}} = 200). */
  boolean payloadExists(String ref) {
    String id = ref.substring(ref.lastIndexOf('/') + 1);
    return send(request("/v1/payloads/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()).build())
        .statusCode() == 200;
  }

  /** Submits a task of {@code type} with {@code params} over {@code input} to the bench queue. */
  SubmitOutcome submitTask(String type, PayloadRef input, Map<String, String> params, String idempotencyKey) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", type).put("queue", QuartetStack.QUEUE).put("classification", input.classification())
        .put("idempotencyKey", idempotencyKey);
    ObjectNode in = body.putObject("input").put("ref", input.ref()).put("sha256", input.sha256()).put("size", input.size())
        .put("classification", input.classification());
    if (input.keyId() != null) {
      in.put("keyId", input.keyId());
    }
    ObjectNode p = body.putObject("params");
    params.forEach(p::put);
    HttpResponse<String> r;
    try {
      r = send(request("/v1/tasks").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a task submission", e);
    }
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      return new SubmitOutcome(r.statusCode(), null);
    }
    return new SubmitOutcome(r.statusCode(), json(r.body()).path("id").asText());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout).header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BenchUnavailableException("the planes did not answer " + request.method() + " " + request.uri().getPath()
          + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchUnavailableException("interrupted: " + request.method() + " " + request.uri().getPath(), e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("the planes answered malformed JSON", e);
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchUnavailableException("interrupted while waiting for the bench worker", e);
    }
  }
}
