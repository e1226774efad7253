package dev.quartet.contracts.kafka;

import dev.quartet.schemas.EventCodec;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventConsumerLoop} on its own thread that is restarted from the last committed offset
 * when it fails (e.g. its handler's database is down), after a growing back-off bounded by
 * {@code maxBackoff}: the shape every projection of a topic into PostgreSQL shares.
 */
public final class SupervisedConsumerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SupervisedConsumerLoop.class);
  private final String name;
  private final String bootstrapServers;
  private final ConsumerLoopConfig config;
  private final EventCodec codec;
  private final EventHandler handler;
  private final Duration maxBackoff;
  private final ScheduledExecutorService supervisor;
  private volatile EventConsumerLoop loop;
  private volatile boolean closed;
  private volatile int consecutiveFailures;

  private SupervisedConsumerLoop(String name, String bootstrapServers, ConsumerLoopConfig config, EventCodec codec,
                                 EventHandler handler, Duration maxBackoff) {
    this.name = name;
    this.bootstrapServers = bootstrapServers;
    this.config = config;
    this.codec = codec;
    this.handler = handler;
    this.maxBackoff = maxBackoff;
    this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts consuming on a thread named {@code name}; {@code handler} runs on it, one event at a time.
   *
   * @param maxBackoff the longest pause before a failed loop is started again
   */
  public static SupervisedConsumerLoop start(String name, String bootstrapServers, ConsumerLoopConfig config, EventCodec codec,
                                             EventHandler handler, Duration maxBackoff) {
    SupervisedConsumerLoop s = new SupervisedConsumerLoop(name, bootstrapServers, config, codec, handler, maxBackoff);
    s.supervisor.execute(s::runLoop);
    return s;
  }

  /** Whether the loop is consuming now (false while it backs off after a failure). */
  public boolean running() {
    EventConsumerLoop current = loop;
    return current != null && current.state() == EventConsumerLoop.State.RUNNING;
  }

  private void runLoop() {
    if (closed) {
      return;
    }
    try {
      EventConsumerLoop next = EventConsumerLoop.create(bootstrapServers, config, codec, new EventHandler() {
        @Override
        public void handle(ConsumedEvent event) throws Exception {
          handler.handle(event);
        }

        @Override
        public void endBatch() throws Exception {
          handler.endBatch();
          consecutiveFailures = 0;  // only a batch that got through proves the cause is gone
        }
      });
      loop = next;
      if (closed) {
        next.close();  // close() ran while the loop was being built and could not see it
        return;
      }
      next.run();
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      consecutiveFailures++;
      Duration backoff = backoff(consecutiveFailures);
      log.error("{} stopped ({} in a row); restarting from the last committed offset in {}", name, consecutiveFailures,
          backoff, e);
      supervisor.schedule(this::runLoop, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private Duration backoff(int failures) {
    long millis = config.pollTimeout().toMillis() << Math.min(failures, 6);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  @Override
  public void close() {
    closed = true;
    EventConsumerLoop current = loop;
    if (current != null) {
      current.close();
    }
    supervisor.shutdownNow();
    try {
      supervisor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
