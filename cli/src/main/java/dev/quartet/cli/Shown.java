package dev.quartet.cli;

/** Untrusted text (from a bundle, a server) made safe for one line of output: bounded, printable ASCII. */
final class Shown {
  private static final int MAX_CHARS = 120;

  private Shown() {}

  static String text(String untrusted) {
    if (untrusted == null) {
      return "null";
    }
    String cut = untrusted.length() <= MAX_CHARS ? untrusted : untrusted.substring(0, MAX_CHARS) + "...";
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
