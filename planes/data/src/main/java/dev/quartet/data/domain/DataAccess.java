package dev.quartet.data.domain;

/** What a principal wants to do with a payload. */
public enum DataAccess {
  READ, WRITE
}
