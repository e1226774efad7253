package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.ExitCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The CLI's HTTP client. Retries a bounded number of times when the server is unreachable or
 * overloaded (429/503, honouring Retry-After up to a cap), then fails with exit code 3; any other
 * refusal fails at once with exit code 1 and the server's problem detail.
 */
final class ApiClient {
  /** Bounds of the client's waiting; every one is finite. */
  record Settings(Duration connectTimeout, Duration requestTimeout, int attempts, Duration firstBackoff, Duration maxBackoff) {
    static Settings defaults() {
      return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofMillis(250), Duration.ofSeconds(5));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final Settings settings;
  private final HttpClient http;

  ApiClient(String server, String token, Settings settings) {
    this.base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
    this.token = token;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
  }

  /** GETs {@code pathAndQuery} and parses the JSON answer. */
  JsonNode getJson(String pathAndQuery) {
    HttpResponse<InputStream> response = send(request(pathAndQuery, settings.requestTimeout()).build());
    try (InputStream body = response.body()) {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "unreadable answer from " + base + ": " + e.getMessage());
    }
  }

  /** POSTs {@code body} as JSON and parses the JSON answer. */
  JsonNode postJson(String path, byte[] body) {
    HttpRequest request = request(path, settings.requestTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<InputStream> response = send(request);
    try (InputStream in = response.body()) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "unreadable answer from " + base + ": " + e.getMessage());
    }
  }

  /** PUTs a file's bytes, streamed from disk, with extra headers; parses the JSON answer. */
  JsonNode putFile(String path, java.nio.file.Path file, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = request(path, settings.requestTimeout()).header("Content-Type", "application/octet-stream");
    headers.forEach(b::header);
    try {
      b.PUT(HttpRequest.BodyPublishers.ofFile(file));
    } catch (java.io.FileNotFoundException e) {
      throw new CliFailure(ExitCode.USAGE, "no such file: " + file);
    }
    HttpResponse<InputStream> response = send(b.build());
    try (InputStream in = response.body()) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "unreadable answer from " + base + ": " + e.getMessage());
    }
  }

  /** GETs {@code path} as a stream; the caller closes the body. */
  HttpResponse<InputStream> download(String path) {
    return send(request(path, null).build());
  }

  /** Whether GET {@code path} finds something (404 is an answer here, not a failure). */
  boolean exists(String path) {
    HttpRequest request = request(path, settings.requestTimeout()).build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 404) {
        return false;
      }
      if (r.statusCode() < 300) {
        return true;
      }
      throw new CliFailure(r.statusCode() >= 500 ? ExitCode.UNAVAILABLE : ExitCode.REJECTED,
          "server answered " + r.statusCode() + " for " + path);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "cannot reach " + base + " (" + describe(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.UNAVAILABLE, "interrupted while calling " + base);
    }
  }

  /** Follows a server-sent-event stream, handing each event's data to {@code onData} until it ends. */
  void stream(String pathAndQuery, Consumer<JsonNode> onData) {
    HttpRequest request = request(pathAndQuery, null).header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> response = send(request);
    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      StringBuilder data = new StringBuilder();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        } else if (line.isEmpty() && data.length() > 0) {
          onData.accept(JSON.readTree(data.toString()));
          data.setLength(0);
        }
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "stream from " + base + " broke: " + e.getMessage());
    }
  }

  private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET();
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<InputStream> send(HttpRequest request) {
    Duration backoff = settings.firstBackoff();
    String lastProblem = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      try {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status < 300) {
          return response;
        }
        String detail = problemDetail(response);
        if (status != 429 && status != 503) {
          throw new CliFailure(status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.REJECTED,
              "server answered " + status + ": " + detail);
        }
        lastProblem = "overloaded (" + status + ": " + detail + ")";
        backoff = retryAfter(response, backoff);
      } catch (ConnectException | HttpConnectTimeoutException e) {
        lastProblem = "cannot reach " + base + " (" + describe(e) + ")";
      } catch (IOException e) {
        lastProblem = "cannot talk to " + base + " (" + describe(e) + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure(ExitCode.UNAVAILABLE, "interrupted while calling " + base);
      }
      if (attempt < settings.attempts()) {
        pause(backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
      }
    }
    throw new CliFailure(ExitCode.UNAVAILABLE, lastProblem + " after " + settings.attempts() + " attempts");
  }

  private Duration retryAfter(HttpResponse<?> response, Duration fallback) {
    return response.headers().firstValue("Retry-After")
        .map(v -> {
          try {
            return min(Duration.ofSeconds(Long.parseLong(v.trim())), settings.maxBackoff());
          } catch (NumberFormatException e) {
            return fallback;
          }
        })
        .orElse(fallback);
  }

  private static String problemDetail(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(64 * 1024);
      JsonNode problem = JSON.readTree(bytes);
      if (problem != null && problem.hasNonNull("detail")) {
        return problem.get("detail").asText();
      }
      if (problem != null && problem.hasNonNull("message")) {
        return problem.get("message").asText();
      }
      return problem != null && problem.hasNonNull("title") ? problem.get("title").asText() : "no detail";
    } catch (IOException e) {
      return "no readable detail";
    }
  }

  private static String describe(Exception e) {
    if (e instanceof ConnectException) {
      return "connection refused"; // the JDK client often gives no message here
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void pause(Duration d) {
    try {
      // A bounded client-side backoff between attempts, not a test wait.
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.UNAVAILABLE, "interrupted while waiting to retry");
    }
  }
}
