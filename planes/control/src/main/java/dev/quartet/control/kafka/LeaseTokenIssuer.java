package dev.quartet.control.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.control.config.LeaseSettings;
import dev.quartet.control.domain.ConfigHead;
import dev.quartet.control.store.ConfigVersionStore;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.LeaseTokenIssued;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Signs a lease token for every scope's head with the online lease key, every {@code refresh},
 * and at once after a publish, onto the compacted lease-token topic (latest per scope wins).
 * Workers stay on a version only while they hold an unexpired token naming it.
 */
@Context
public class LeaseTokenIssuer {
  private static final Logger log = LoggerFactory.getLogger(LeaseTokenIssuer.class);
  private final ConfigVersionStore store;
  private final Producer<byte[], byte[]> producer;
  private final LeaseSettings settings;
  private final AdminKeyPair key;
  private final EventCodec codec = EventCodec.standard();
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lease-token-issuer");
    t.setDaemon(true);
    return t;
  });

  LeaseTokenIssuer(ConfigVersionStore store, Producer<byte[], byte[]> producer, LeaseSettings settings) {
    this.store = store;
    this.producer = producer;
    this.settings = settings;
    this.key = readKey(settings.keyFile());
    if (key == null) {
      log.warn("No lease key (quartet.control.lease.key-file): no lease tokens are issued, workers will enter degraded mode");
    } else {
      long every = settings.refresh().toMillis();
      scheduler.scheduleWithFixedDelay(this::issueAllSafely, 0, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Issues a fresh token for {@code head} now (after a publish); a no-op without a lease key. */
  public void issue(ConfigHead head) {
    if (key == null) {
      return;
    }
    Instant now = clock.instant();
    LeaseToken token = LeaseToken.sign(head.snapshot().scope().toString(), head.version(), head.digest(), now,
        now.plus(settings.duration()), key);
    LeaseTokenIssued event = LeaseTokenIssued.newBuilder()
        .setScope(token.scope())
        .setHeadVersion(token.headVersion())
        .setHeadDigest(token.headDigest())
        .setIssuedAt(token.issuedAt())
        .setExpiresAt(token.expiresAt())
        .setKeyId(token.keyId().hex())
        .setSignature(ByteBuffer.wrap(token.signature()))
        .build();
    producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_LEASE_TOKENS, token.scope().getBytes(StandardCharsets.UTF_8),
        codec.encode(event)), (metadata, error) -> {
          if (error != null) {
            log.warn("Lease token for scope={} configVersion={} not written: {}", token.scope(), token.headVersion(), error.toString());
          }
        });
  }

  private void issueAllSafely() {
    try {
      store.heads().forEach(this::issue);
    } catch (RuntimeException e) {
      // The next round retries; workers ride out a missed round because tokens outlive the refresh.
      log.warn("Lease token round failed: {}", e.toString());
    }
  }

  private static AdminKeyPair readKey(String file) {
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      return KeyFiles.readPrivateKey(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lease key " + file, e);
    }
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }
}
