package dev.quartet.bench.micro;

import dev.quartet.contracts.trust.CanonicalJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RFC 8785 canonicalization of a typical configuration snapshot (the reference configuration's
 * shape): what signing and every snapshot verification pay before the signature check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CanonicalJsonBenchmark {
  private Map<String, Object> snapshot;
  private byte[] serialized;

  @Setup
  public void setUp() {
    snapshot = Map.of(
        "scope", "default/dev", "version", 1, "parent", "", "issuedAt", "2026-11-24T00:00:00Z",
        "expiresAt", "2030-01-01T00:00:00Z",
        "body", Map.of(
            "lease", Map.of("duration", "60s"),
            "degradedMode", Map.of("policy", "continue-cached", "grace", "10m"),
            "tools", List.of(Map.of("name", "transform", "kind", "transform"), Map.of("name", "fetch", "kind", "http"),
                Map.of("name", "wc", "kind", "process", "command", List.of("wc", "-c"))),
            "policies", Map.of("egress", Map.of("allow", List.of("127.0.0.1:18080")),
                "quotas", Map.of("concurrentTasks", 64, "tasksPerMinute", 6000, "storedBytes", "10GiB"),
                "approvals", List.of(Map.of("tool", "wc", "classification", "RESTRICTED"))),
            "routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"),
                "maxInputBytes", "10MiB", "maxTaskBytes", "20MiB")),
            "retention", Map.of("evidence", "400d", "payloads", "30d"),
            "rollout", Map.of("cohort", "100%", "bake", "0s")));
    serialized = new String(CanonicalJson.serialize(snapshot), StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);
  }

  /** Serializing the value model to canonical bytes (the signer's side). */
  @Benchmark
  public byte[] serialize() {
    return CanonicalJson.serialize(snapshot);
  }

  /** Parsing arbitrary JSON and re-serializing it canonically (a verifier checking canonical form). */
  @Benchmark
  public byte[] canonicalize() {
    return CanonicalJson.canonicalize(serialized);
  }
}
