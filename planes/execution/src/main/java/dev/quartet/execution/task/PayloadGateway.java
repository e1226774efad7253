package dev.quartet.execution.task;

import dev.quartet.contracts.trust.JsonParser;
import dev.quartet.schemas.Classification;
import dev.quartet.schemas.PayloadRef;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * A worker's only way to payloads: the data plane's HTTP API, with the worker's own token (data
 * access is authorized by the data plane, never by the execution plane). Inputs are read up to a
 * limit and checked against the digest the submission recorded; outputs are stored and referenced.
 */
public final class PayloadGateway {
  private static final String REF_PREFIX = "quartet:payload/";
  private final HttpClient http;
  private final URI base;
  private final String token;
  private final Duration timeout;

  /** A gateway to the data plane at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
  public PayloadGateway(URI base, String token, Duration connectTimeout, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.token = token;
    this.timeout = timeout;
  }

  /**
   * Reads the input of a task: at most {@code maxBytes}, and only if it hashes to {@code ref}'s digest.
   *
   * @throws PayloadAccessException when the data plane refuses or is unavailable, or the bytes do not match
   */
  public byte[] fetch(PayloadRef ref, long maxBytes, String correlationId) throws PayloadAccessException, InterruptedException {
    if (ref.getSize() > maxBytes) {
      throw new PayloadAccessException(false, "input of " + ref.getSize() + " bytes is over the route limit of " + maxBytes);
    }
    HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/payloads/" + idOf(ref.getUri())))
        .timeout(timeout).header("Authorization", "Bearer " + token).header("X-Correlation-Id", correlationId).GET().build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw failure("reading input " + ref.getUri(), response.statusCode());
      }
      byte[] bytes = body.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw new PayloadAccessException(false, "input is over the route limit of " + maxBytes + " bytes");
      }
      String digest = sha256(bytes);
      if (!digest.equals(ref.getSha256())) {
        throw new PayloadAccessException(false, "input " + ref.getUri() + " does not hash to the recorded digest");
      }
      return bytes;
    } catch (IOException e) {
      throw new PayloadAccessException(true, "data plane connection failed while reading input: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Stores an output payload of {@code tenant} with the task's classification and returns its reference.
   *
   * @throws PayloadAccessException when the data plane refuses or is unavailable
   */
  public PayloadRef store(byte[] bytes, Classification classification, String route, String tenant, String correlationId)
      throws PayloadAccessException, InterruptedException {
    // The output belongs to the task's tenant, so its submitter can read it; a worker token is
    // unscoped and names the tenant explicitly.
    String query = "classification=" + classification.name() + "&tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
        + (route == null ? "" : "&route=" + URLEncoder.encode(route, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/payloads?" + query))
        .timeout(timeout).header("Authorization", "Bearer " + token).header("X-Correlation-Id", correlationId)
        .header("X-Content-SHA256", sha256(bytes)).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201 && response.statusCode() != 200) {
      throw failure("storing output", response.statusCode());
    }
    Object parsed = JsonParser.parse(response.body().getBytes(StandardCharsets.UTF_8));
    if (!(parsed instanceof Map<?, ?> view) || !(view.get("ref") instanceof String uri) || !(view.get("sha256") instanceof String sha)
        || !(view.get("size") instanceof Double size)) {
      throw new PayloadAccessException(true, "data plane answered an output reference without ref, sha256 and size");
    }
    return PayloadRef.newBuilder().setUri(uri).setSha256(sha).setSize(size.longValue()).setClassification(classification)
        .setEncryptionKeyId(view.get("keyId") instanceof String k ? k : null).build();
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws PayloadAccessException, InterruptedException {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new PayloadAccessException(true, "data plane unreachable: " + e.getClass().getSimpleName());
    }
  }

  private static PayloadAccessException failure(String what, int status) {
    // 429 and 5xx may pass; anything else (403 no data role, 404 missing, 413 limit) will not.
    boolean retryable = status == 429 || status >= 500;
    return new PayloadAccessException(retryable, "data plane answered " + status + " " + what);
  }

  /** The payload id of {@code quartet:payload/<id>}. @throws IllegalArgumentException for another form */
  static String idOf(String uri) {
    if (!uri.startsWith(REF_PREFIX) || !uri.substring(REF_PREFIX.length()).matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("not a payload reference: quartet:payload/<id> expected");
    }
    return uri.substring(REF_PREFIX.length());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The data plane refused or could not serve a payload; {@code retryable} when another attempt may succeed. */
  public static final class PayloadAccessException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    PayloadAccessException(boolean retryable, String message) {
      super(message, null, false, false);
      this.retryable = retryable;
    }

    /** True when another attempt may succeed (data plane down or overloaded). */
    public boolean retryable() {
      return retryable;
    }
  }
}
