package dev.quartet.control.domain;

/** The newest accepted snapshot of a scope: the next one must be {@code version + 1} with this parent. */
public record ConfigHead(ConfigSnapshot snapshot) {
  public long version() {
    return snapshot.version();
  }

  public String digest() {
    return snapshot.digest();
  }
}
