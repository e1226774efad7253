package dev.quartet.contracts.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The headers a dead letter carries, and how one is built from the record that could not be
 * decoded: same key and value bytes, the original headers, plus the {@code quartet.dlq.*} ones.
 */
public final class DeadLetterHeaders {
  /** Why the record was dead-lettered, e.g. {@code UNKNOWN_FINGERPRINT}. */
  public static final String REASON = "quartet.dlq.reason";
  /** The decoder's message. */
  public static final String ERROR = "quartet.dlq.error";
  /** Where the record came from: {@code topic-partition@offset}. */
  public static final String SOURCE = "quartet.dlq.source";

  // Header values are bounded so a pathological error message cannot bloat the dead-letter topic.
  private static final int MAX_ERROR_CHARS = 1024;

  private DeadLetterHeaders() {}

  /** The dead letter for {@code record} on {@code deadLetterTopic}. */
  public static ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic,
                                                         String reason, String error) {
    Headers headers = new RecordHeaders();
    for (Header h : record.headers()) {
      if (!h.key().startsWith("quartet.dlq.")) {
        headers.add(h);
      }
    }
    String message = error == null ? "" : error;
    if (message.length() > MAX_ERROR_CHARS) {
      message = message.substring(0, MAX_ERROR_CHARS);
    }
    headers.add(REASON, utf8(reason));
    headers.add(ERROR, utf8(message));
    headers.add(SOURCE, utf8(source(record)));
    return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
  }

  /** {@code topic-partition@offset} of {@code record}. */
  public static String source(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  /** The UTF-8 text of header {@code key} in {@code headers}, or {@code null} when absent. */
  public static String text(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
