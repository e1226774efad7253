package dev.quartet.contracts.kafka;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.UndecodableEventException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Polls Avro events, decodes each with {@link EventCodec} and hands it to an {@link EventHandler};
 * offsets are committed only after handling and {@link EventHandler#endBatch()} (at-least-once).
 *
 * <p><b>Bad data never stops the loop</b>: a record that cannot be decoded is produced, with its
 * key, value and headers, to the dead-letter topic with {@link DeadLetterHeaders#REASON},
 * {@link DeadLetterHeaders#ERROR} and {@link DeadLetterHeaders#SOURCE}, and the loop goes on.
 * <b>A handler failure does stop it</b>: the record was valid, so retrying or dead-lettering would
 * hide a bug or an outage and break per-key ordering. Offsets of the records handled before it
 * are committed, its own is not (it is redelivered after a restart), {@link #run()} throws the
 * {@link ConsumerLoopException} and {@link #failure()} keeps it for a supervisor or health check.
 * A dead letter that cannot be written stops the loop the same way, without skipping the record.
 *
 * <p>Runs once, on one thread; {@link #close()} may be called from any thread and wakes a blocked
 * poll. The loop owns its consumer and producer and closes them when it stops.
 */
public final class EventConsumerLoop implements Runnable, AutoCloseable {
  /** Where a loop is in its life. */
  public enum State { NEW, RUNNING, STOPPED, FAILED }

  private static final Logger log = LoggerFactory.getLogger(EventConsumerLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetters;
  private final EventCodec codec;
  private final EventHandler handler;
  private final ConsumerLoopConfig config;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile State state = State.NEW;
  private volatile boolean closing;
  private volatile Thread runner;
  private volatile ConsumerLoopException failure;

  /**
   * A loop over the given clients, which it takes ownership of. The consumer must not auto-commit
   * and should have {@code max.poll.records} = {@link ConsumerLoopConfig#maxPollRecords()};
   * {@link #create} sets both.
   */
  public EventConsumerLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetters, EventCodec codec,
                           EventHandler handler, ConsumerLoopConfig config) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * A loop with its own consumer and dead-letter producer.
   *
   * @param clientProperties {@code bootstrap.servers} plus any security or client-id settings;
   *     the loop's own settings (group, deserializers, commit mode, acks) override these
   */
  public static EventConsumerLoop create(Map<String, Object> clientProperties, ConsumerLoopConfig config,
                                         EventCodec codec, EventHandler handler) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.consumerProperties(clientProperties),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties(clientProperties),
          new ByteArraySerializer(), new ByteArraySerializer());
      return new EventConsumerLoop(consumer, producer, codec, handler, config);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** {@link #create(Map, ConsumerLoopConfig, EventCodec, EventHandler)} with only a bootstrap address. */
  public static EventConsumerLoop create(String bootstrapServers, ConsumerLoopConfig config, EventCodec codec,
                                         EventHandler handler) {
    return create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), config, codec, handler);
  }

  /**
   * Subscribes and processes records until {@link #close()} or a failure.
   *
   * @throws ConsumerLoopException when a handler throws, a dead letter cannot be written or the
   *     consumer fails; also kept in {@link #failure()}
   * @throws IllegalStateException when the loop already ran or was closed
   */
  @Override
  public void run() {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("EventConsumerLoop " + config.groupId() + " runs once; it is " + state);
      }
      state = State.RUNNING;
      runner = Thread.currentThread();
    }
    log.info("Consumer loop {} started on {}", config.groupId(), config.topics());
    try {
      consumer.subscribe(config.topics());
      while (!closing) {
        processBatch(consumer.poll(config.pollTimeout()));
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw fail(new ConsumerLoopException("consumer woken up without close", null, e));
      }
    } catch (ConsumerLoopException e) {
      throw fail(e);
    } catch (RuntimeException e) {
      throw fail(new ConsumerLoopException("consumer failed", null, e));
    } finally {
      try {
        release();
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          log.warn("Consumer loop {} could not close its clients cleanly", config.groupId(), e);
        }
      }
      if (state != State.FAILED) {
        state = State.STOPPED;
        log.info("Consumer loop {} stopped", config.groupId());
      }
      stopped.countDown();
    }
  }

  /** Stops the loop: wakes a blocked poll and waits, bounded by the operation timeout, for it to end. */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
      if (state == State.STOPPED || state == State.FAILED) {
        return;
      }
      if (state == State.NEW) {
        state = State.STOPPED;
        try {
          release();
        } finally {
          stopped.countDown();
        }
        return;
      }
    }
    consumer.wakeup();
    // A handler closing its own loop must not wait for itself.
    if (Thread.currentThread() != runner && !awaitStop(config.operationTimeout())) {
      log.warn("Consumer loop {} did not stop within {}", config.groupId(), config.operationTimeout());
    }
  }

  /** Waits up to {@code timeout} for the loop to stop; true when it has. */
  public boolean awaitStop(Duration timeout) {
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The loop's current state. */
  public State state() {
    return state;
  }

  /** Why the loop stopped on its own, if it did. */
  public Optional<ConsumerLoopException> failure() {
    return Optional.ofNullable(failure);
  }

  private void processBatch(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (closing) {
        break;
      }
      try {
        process(record);
      } catch (ConsumerLoopException e) {
        // Keep the work already done; the failing record itself stays uncommitted.
        try {
          endBatch(record);
          commit(done);
        } catch (RuntimeException commitFailure) {
          e.addSuppressed(commitFailure);
        }
        throw e;
      }
      done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }
    if (!records.isEmpty()) {
      endBatch(null);
    }
    commit(done);
  }

  /** Lets the handler finish deferred work; on failure nothing of the batch is committed. */
  private void endBatch(ConsumerRecord<byte[], byte[]> failedAt) {
    try {
      handler.endBatch();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ConsumerLoopException("handler failed to end its batch", failedAt == null ? null
          : DeadLetterHeaders.source(failedAt), e);
    }
  }

  private void process(ConsumerRecord<byte[], byte[]> record) {
    String source = DeadLetterHeaders.source(record);
    SpecificRecord event;
    try {
      event = codec.decode(record.value());  // a null value (tombstone) is NOT_SINGLE_OBJECT_ENCODED
    } catch (UndecodableEventException e) {
      deadLetter(record, e.reason().name(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // A decoder crash on arbitrary bytes is still bad data: one record must not halt the topic.
      deadLetter(record, UndecodableEventException.Reason.CORRUPT.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    try {
      handler.handle(new ConsumedEvent(record.topic(), record.partition(), record.offset(), record.key(), record.value(), event));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ConsumerLoopException("handler failed on " + event.getSchema().getFullName(), source, e);
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String error) {
    String source = DeadLetterHeaders.source(record);
    ProducerRecord<byte[], byte[]> letter = DeadLetterHeaders.deadLetter(record, config.deadLetterTopic(), reason, error);
    try {
      deadLetters.send(letter).get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ConsumerLoopException("dead letter to " + config.deadLetterTopic() + " failed", source, e.getCause());
    } catch (KafkaException e) {
      throw new ConsumerLoopException("dead letter to " + config.deadLetterTopic() + " failed", source, e);
    } catch (TimeoutException e) {
      throw new ConsumerLoopException("dead letter to " + config.deadLetterTopic() + " timed out after "
          + config.operationTimeout(), source, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsumerLoopException("interrupted while dead-lettering", source, e);
    }
    log.warn("Dead-lettered {} to {}: reason {}", source, config.deadLetterTopic(), reason);
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> done) {
    if (done.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(done, config.operationTimeout());
      } catch (WakeupException e) {
        if (!closing) {
          throw e;
        }
        // close() woke us mid-batch; the wakeup is spent, so commit what was handled before stopping.
        consumer.commitSync(done, config.operationTimeout());
      }
    } catch (RebalanceInProgressException | CommitFailedException e) {
      // The partitions moved while we handled them; their new owner resumes from the last commit,
      // which is at-least-once as documented, so this is not a failure of the loop.
      log.warn("Consumer loop {} could not commit {} after a rebalance; they will be redelivered",
          config.groupId(), done.keySet());
    }
  }

  private ConsumerLoopException fail(ConsumerLoopException e) {
    failure = e;
    state = State.FAILED;
    log.error("Consumer loop {} stopped: {}", config.groupId(), e.getMessage(), e);
    return e;
  }

  private void release() {
    try {
      consumer.close(CloseOptions.timeout(config.operationTimeout()));
    } finally {
      deadLetters.close(config.operationTimeout());
    }
  }
}
