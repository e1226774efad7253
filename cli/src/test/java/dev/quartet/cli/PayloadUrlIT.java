package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quartet payload url} against a real data plane: the printed URLs work without a token, once for a slot. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadUrlIT {
  private static final String TOKEN = "payload-url-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private PlaneProcess plane;
  private String server;
  private Path dir;

  @BeforeAll
  void startDataPlane(Infrastructure infra, @TempDir Path tmp) {
    dir = tmp;
    String schema = "data_url_it_" + infra.unique("x").replaceAll("[^a-z0-9]", "");
    infra.database().provisionOwner("quartet_" + schema, "secret", schema);
    Map<String, Object> p = new HashMap<>();
    p.put("datasources.data.url", infra.jdbcUrl());
    p.put("datasources.data.username", "quartet_" + schema);
    p.put("datasources.data.password", "secret");
    p.put("datasources.data.schema", schema);
    p.put("flyway.datasources.data.schemas", schema);
    p.put("flyway.datasources.data.default-schema", schema);
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    // The bootstrap admin token carries every data role.
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.data.blob-store.dir", tmp.resolve("blobs").toString());
    p.put("quartet.data.encryption.keys-dir", tmp.resolve("keys").toString());
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), p);
    server = plane.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aPrintedReadUrlFetchesThePayloadWithoutAToken() throws Exception {
    byte[] content = new byte[300 * 1024];
    new Random(11).nextBytes(content);
    Path file = Files.write(dir.resolve("in.bin"), content);
    var put = cli("--output", "json", "payload", "put", "--classification", "RESTRICTED", file.toString());
    assertEquals(0, put.exitCode(), put.err());
    String ref = JSON.readTree(put.out()).path("ref").asText();

    var url = cli("--output", "json", "payload", "url", ref, "--ttl", "10m");
    assertEquals(0, url.exitCode(), url.err());
    JsonNode issued = JSON.readTree(url.out());
    assertEquals(ref, issued.path("ref").asText());
    Instant expiresAt = Instant.parse(issued.path("expiresAt").asText());
    assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(540)), "about 10 minutes: " + expiresAt);
    HttpResponse<byte[]> read = http.send(HttpRequest.newBuilder(URI.create(issued.path("url").asText())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, read.statusCode());
    assertArrayEquals(content, read.body(), "decrypted plaintext through the URL");

    var text = cli("payload", "url", ref, "--ttl", "30s");
    assertEquals(0, text.exitCode(), text.err());
    String printed = text.out().strip();
    assertEquals(1, printed.lines().count(), "the URL alone: " + printed);
    assertTrue(printed.startsWith(server + "/v1/blobs/"), printed);

    var tooLong = cli("payload", "url", ref, "--ttl", "25h");
    assertEquals(1, tooLong.exitCode(), "a TTL over the server's bound is rejected: " + tooLong.err());
    assertTrue(tooLong.err().contains("86400"), "names the bound: " + tooLong.err());
  }

  @Test
  void aPrintedUploadSlotTakesOneUpload() throws Exception {
    byte[] content = "one upload through a slot".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    var slot = cli("--output", "json", "payload", "url", "--write", "--classification", "INTERNAL", "--sha256", sha,
        "--max-bytes", "1024", "--ttl", "5m");
    assertEquals(0, slot.exitCode(), slot.err());
    String url = JSON.readTree(slot.out()).path("url").asText();
    HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, first.statusCode(), first.body());
    String ref = JSON.readTree(first.body()).path("ref").asText();
    Path back = dir.resolve("back.bin");
    assertEquals(0, cli("payload", "get", ref, "--out", back.toString()).exitCode());
    assertArrayEquals(content, Files.readAllBytes(back));
    HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, second.statusCode(), "a used slot: " + second.body());
  }

  @Test
  void misuseIsAUsageError() {
    assertEquals(2, cli("payload", "url", "--ttl", "10m").exitCode(), "no REF, no --write");
    assertEquals(2, cli("payload", "url", "--write", "--ttl", "10m").exitCode(), "--write without --classification");
    assertEquals(2, cli("payload", "url", "--write", "--classification", "PUBLIC", "quartet:payload/x", "--ttl", "10m").exitCode(),
        "REF with --write");
    assertEquals(2, cli("payload", "url", "not-a-ref", "--ttl", "10m").exitCode(), "malformed REF");
    assertEquals(2, cli("payload", "url", "0b6e1c3e-1111-4222-8333-944455556666", "--ttl", "soon").exitCode(), "bad TTL");
    assertEquals(2, cli("payload", "url", "0b6e1c3e-1111-4222-8333-944455556666", "--ttl", "1500ms").exitCode(),
        "fractional TTL");
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "--server";
    full[1] = server;
    full[2] = "--token";
    full[3] = TOKEN;
    System.arraycopy(args, 0, full, 4, args.length);
    return QuartetCommandLineTest.run(Map.of(), full);
  }
}
