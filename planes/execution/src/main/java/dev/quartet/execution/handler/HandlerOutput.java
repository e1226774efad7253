package dev.quartet.execution.handler;

import java.util.Arrays;
import java.util.Objects;

/** The output of a successful attempt and its media type. */
public record HandlerOutput(byte[] bytes, String contentType) {
  /** Copies the bytes so the output cannot change after it is returned. */
  public HandlerOutput {
    bytes = bytes.clone();
    Objects.requireNonNull(contentType, "contentType");
  }

  /** A copy of the output bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Output size in bytes. */
  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HandlerOutput h && contentType.equals(h.contentType) && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + contentType.hashCode();
  }

  @Override
  public String toString() {
    return "HandlerOutput[" + bytes.length + " bytes, " + contentType + "]";  // never the content
  }
}
