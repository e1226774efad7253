package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClientSettings;
import dev.quartet.contracts.topics.TopicCatalog;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a plane process writes evidence ({@code quartet.evidence-client.*}): each plane's encrypted
 * buffer lives in {@code bufferDir/<plane>}.
 *
 * @param bufferDir parent directory of the per-plane buffers
 * @param maxBufferBytes bytes one plane's buffer may hold; beyond, best-effort evidence is dropped and counted
 * @param maxBufferedEvents events one plane's buffer may hold
 * @param maxEventBytes largest encoded evidence event accepted
 * @param sendTimeout bound on one evidence write before it counts as failed
 * @param probeInterval how often a buffering plane tries the evidence topic again
 * @param producerId this instance's name in gaps and heartbeats; blank means the host name
 * @param heartbeatInterval how often each plane records {@code plane.heartbeat}
 */
@ConfigurationProperties("quartet.evidence-client")
public record EvidenceClientProperties(@NotNull Path bufferDir,
                                       @Min(1) long maxBufferBytes,
                                       @Min(1) int maxBufferedEvents,
                                       @Min(1) int maxEventBytes,
                                       @NotNull Duration sendTimeout,
                                       @NotNull Duration probeInterval,
                                       @Nullable String producerId,
                                       @NotNull Duration heartbeatInterval) {

  /** The client settings of {@code plane}'s evidence, on the catalog topics. */
  public EvidenceClientSettings settingsFor(Plane plane) {
    return new EvidenceClientSettings(TopicCatalog.EVIDENCE_EVENTS, TopicCatalog.EVIDENCE_GAPS,
        bufferDir.resolve(plane.id()), maxBufferBytes, maxBufferedEvents, maxEventBytes, sendTimeout, probeInterval);
  }

  /** {@link #producerId()}, or the host name when it is blank. */
  public String instanceName() {
    if (producerId != null && !producerId.isBlank()) {
      return producerId;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "pid-" + ProcessHandle.current().pid();  // no resolvable host name: still one name per process
    }
  }
}
