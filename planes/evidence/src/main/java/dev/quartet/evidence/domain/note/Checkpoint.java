package dev.quartet.evidence.domain.note;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint "Note text"): origin line, decimal
 * tree size line, base64 root hash line, then optional extension lines, each ending in a newline.
 * The format does not fix the hash length; {@link #parseFor} adds the RFC 9162 SHA-256 length.
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensionLines) {
  /** Length of an RFC 9162 SHA-256 root hash. */
  public static final int SHA256_ROOT_BYTES = 32;
  // tlog-checkpoint: ASCII decimal, no leading zeroes unless the tree is empty.
  private static final String SIZE_SYNTAX = "0|[1-9][0-9]*";

  /** @throws MalformedNoteException when a line would be empty or hold a newline or control character, the size is negative or the root hash empty */
  public Checkpoint {
    requireLine(origin, "origin");
    if (treeSize < 0) {
      throw new MalformedNoteException("checkpoint: tree size " + treeSize + " is negative");
    }
    Objects.requireNonNull(rootHash, "rootHash");
    if (rootHash.length == 0) {
      throw new MalformedNoteException("checkpoint: root hash is empty");
    }
    rootHash = rootHash.clone();
    extensionLines = List.copyOf(extensionLines);
    for (int i = 0; i < extensionLines.size(); i++) {
      requireLine(extensionLines.get(i), "extension line " + (i + 1));
    }
  }

  /**
   * Parses a checkpoint body strictly: at least three newline-terminated lines, nothing after
   * the last newline, non-empty extension lines.
   *
   * @throws MalformedNoteException naming the first rule broken
   */
  public static Checkpoint parse(String body) {
    Objects.requireNonNull(body, "body");
    if (!body.endsWith("\n")) {
      throw new MalformedNoteException("checkpoint: body does not end with a newline");
    }
    // split with limit -1 keeps empty lines, so an empty extension line is seen and refused.
    List<String> lines = Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new MalformedNoteException("checkpoint: " + lines.size() + " lines, expected origin, size and root hash");
    }
    String size = lines.get(1);
    if (!size.matches(SIZE_SYNTAX)) {
      throw new MalformedNoteException("checkpoint: tree size '" + size + "' is not a decimal without leading zeroes");
    }
    long treeSize;
    try {
      treeSize = Long.parseLong(size);
    } catch (NumberFormatException e) {
      // A Java long holds 2^63-1 leaves; no log comes near, so larger sizes are refused, not wrapped.
      throw new MalformedNoteException("checkpoint: tree size " + size + " exceeds " + Long.MAX_VALUE);
    }
    if (lines.get(2).isEmpty()) {
      throw new MalformedNoteException("checkpoint: root hash line is empty");
    }
    byte[] root = NoteSyntax.base64(lines.get(2), "checkpoint root hash");
    return new Checkpoint(lines.get(0), treeSize, root, new ArrayList<>(lines.subList(3, lines.size())));
  }

  /**
   * Parses the checkpoint of one known log: {@link #parse} plus the expected origin and a
   * 32-byte RFC 9162 SHA-256 root (as golang.org/x/mod/sumdb/tlog ParseTree does).
   *
   * @throws MalformedNoteException when the body is malformed, from another origin, or its root is not 32 bytes
   */
  public static Checkpoint parseFor(String expectedOrigin, String body) {
    Checkpoint c = parse(body);
    if (!c.origin.equals(expectedOrigin)) {
      throw new MalformedNoteException("checkpoint: origin '" + c.origin + "', expected '" + expectedOrigin + "'");
    }
    if (c.rootHash.length != SHA256_ROOT_BYTES) {
      throw new MalformedNoteException("checkpoint: root hash is " + c.rootHash.length + " bytes, expected " + SHA256_ROOT_BYTES);
    }
    return c;
  }

  /** The note text: each line followed by a newline. */
  public String body() {
    StringBuilder out = new StringBuilder()
        .append(origin).append('\n')
        .append(treeSize).append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String line : extensionLines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** A copy of the root hash. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  private static void requireLine(String line, String what) {
    Objects.requireNonNull(line, what);
    if (line.isEmpty()) {
      throw new MalformedNoteException("checkpoint: " + what + " is empty");
    }
    if (line.indexOf('\n') >= 0) {
      throw new MalformedNoteException("checkpoint: " + what + " contains a newline");
    }
    NoteSyntax.requireNoteCharacters(line, "checkpoint " + what);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && origin.equals(c.origin) && treeSize == c.treeSize
        && Arrays.equals(rootHash, c.rootHash) && extensionLines.equals(c.extensionLines);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, treeSize, Arrays.hashCode(rootHash), extensionLines);
  }

  @Override
  public String toString() {
    return "Checkpoint[origin=" + origin + ", treeSize=" + treeSize + ", rootHash="
        + HexFormat.of().formatHex(rootHash) + ", extensionLines=" + extensionLines.size() + "]";
  }
}
