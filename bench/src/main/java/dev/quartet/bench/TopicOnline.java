package dev.quartet.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits until a new topic's partition leaders serve it. CreateTopics returns before the broker has
 * brought the partitions online; an idempotent producer writing into that window can see
 * NOT_LEADER_OR_FOLLOWER on its first batch while later ones land, then retry that first batch
 * out of sequence until it expires. So: first the topic's metadata (every partition led), then
 * ListOffsets, which the leader answers itself; once it succeeds for every partition, so will a produce.
 */
final class TopicOnline {
  /** Pause between attempts, as Kafka clients' own retry.backoff.ms default. */
  private static final long RETRY_BACKOFF_MS = 100;

  private TopicOnline() {}

  /** @throws BenchUnavailableException when the topic is not online within {@code timeout} */
  static void await(Admin admin, String topic, int partitionCount, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String timedOut = "topic " + topic + " did not come online within " + timeout.toSeconds() + " s";
    retryUntil(deadline, topic, timedOut, () -> {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(remainingMs(deadline), TimeUnit.MILLISECONDS).get(topic);
      return d.partitions().size() == partitionCount && d.partitions().stream().allMatch(p -> p.leader() != null);
    });
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (int p = 0; p < partitionCount; p++) {
      partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    retryUntil(deadline, topic, timedOut, () -> {
      admin.listOffsets(partitions).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
      return true;
    });
  }

  /** A check that may fail with a retriable Kafka error. */
  private interface Check {
    boolean passes() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private static void retryUntil(long deadline, String topic, String timedOut, Check check) {
    while (true) {
      try {
        if (check.passes()) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new BenchUnavailableException(timedOut + ": " + e.getCause(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchUnavailableException("interrupted while waiting for " + topic, e);
      } catch (TimeoutException e) {
        throw new BenchUnavailableException(timedOut, e);
      }
      if (System.nanoTime() >= deadline) {
        throw new BenchUnavailableException(timedOut, null);
      }
      backOff(topic);
    }
  }

  private static long remainingMs(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private static void backOff(String topic) {
    try {
      TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchUnavailableException("interrupted while waiting for " + topic, e);
    }
  }
}
