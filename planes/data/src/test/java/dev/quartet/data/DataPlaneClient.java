package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.schemas.EventCodec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/** The data plane's HTTP API and topics as a test sees them. */
final class DataPlaneClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String token;
  private final String bootstrap;

  DataPlaneClient(String base, String token, String bootstrap) {
    this.base = base;
    this.token = token;
    this.bootstrap = bootstrap;
  }

  /** The same API as the principal of {@code otherToken}. */
  DataPlaneClient as(String otherToken) {
    return new DataPlaneClient(base, otherToken, bootstrap);
  }

  /** A PUT; with {@code expectContinue} the body is sent only once the server asks for it. */
  HttpResponse<String> put(String query, HttpRequest.BodyPublisher body, boolean expectContinue, String... headers)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + "/v1/payloads?" + query)).PUT(body).expectContinue(expectContinue)
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String query, byte[] body, String... headers) throws Exception {
    return put(query, HttpRequest.BodyPublishers.ofByteArray(body), false, headers);
  }

  /** A PUT whose body is streamed without Content-Length (chunked). */
  HttpResponse<String> putStreamed(String query, Supplier<InputStream> body, String... headers) throws Exception {
    return put(query, HttpRequest.BodyPublishers.ofInputStream(body), false, headers);
  }

  /**
   * Starts a chunked PUT on a raw socket and sends {@code firstChunk}, leaving the upload open
   * until {@link HeldUpload#finish()}: deterministic, unlike a blocking body publisher.
   */
  HeldUpload holdUpload(String query, byte[] firstChunk) throws IOException {
    URI uri = URI.create(base);
    var socket = new java.net.Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(30_000);
    var out = socket.getOutputStream();
    out.write(("PUT /v1/payloads?" + query + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write((Integer.toHexString(firstChunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(firstChunk);
    out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.flush();
    return new HeldUpload(socket);
  }

  /** An upload whose body is still open. */
  record HeldUpload(java.net.Socket socket) {
    /** Ends the body and returns the status code and the response body. */
    Map.Entry<Integer, String> finish() throws IOException {
      try (socket) {
        socket.getOutputStream().write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int status = Integer.parseInt(response.substring(9, 12));
        return Map.entry(status, response.substring(response.indexOf("\r\n\r\n") + 4));
      }
    }
  }

  /** A POST of a JSON body with the token. */
  HttpResponse<String> post(String path, String jsonBody, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(jsonBody))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code method} on an absolute URL, without any token. */
  HttpResponse<byte[]> anonymous(String method, String url, byte[] body, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The base URL of the plane. */
  String base() {
    return base;
  }

  HttpResponse<byte[]> get(String path, boolean authenticated) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path));
    if (authenticated) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** An authenticated GET answering text, e.g. JSON. */
  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An authenticated GET with extra {@code headers} (name, value, …). */
  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<Void> head(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
  }

  static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** Records of {@code topic} accepted by {@code wanted} (key as text, decoded value), waiting up to 30 s for one. */
  List<Object> read(String topic, BiPredicate<String, Object> wanted) {
    EventCodec codec = EventCodec.standard();
    List<Object> found = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "auto.offset.reset", "earliest", "group.id", "data-it-" + UUID.randomUUID()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await("matching record on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
          Object e = codec.decode(r.value());
          if (wanted.test(key, e)) {
            found.add(e);
          }
        }
        return !found.isEmpty();
      });
    }
    return found;
  }

  /** The raw value of the record with {@code key} on {@code topic}. */
  byte[] rawValue(String topic, String key) {
    List<byte[]> found = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "auto.offset.reset", "earliest", "group.id", "data-it-" + UUID.randomUUID()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await("record " + key + " on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && key.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
            found.add(r.value());
          }
        }
        return !found.isEmpty();
      });
    }
    return found.get(0);
  }
}
