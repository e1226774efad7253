package dev.quartet.execution.policy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The egress allowlist of the applied config: {@code host:port} pairs the http handler may reach,
 * nothing else (deny by default). Hosts compare case-insensitively; an IPv6 literal is written in
 * brackets ({@code [2001:db8::1]:443}).
 */
public record EgressPolicy(Set<String> allowed) {
  /** @throws IllegalArgumentException if an entry is not {@code host:port} */
  public EgressPolicy {
    Set<String> normalized = new TreeSet<>();
    for (String entry : allowed) {
      normalized.add(normalize(entry));
    }
    allowed = Set.copyOf(normalized);
  }

  /** An allowlist that allows nothing. */
  public static EgressPolicy denyAll() {
    return new EgressPolicy(Set.of());
  }

  /** True when exactly this host (as written in the URL) and port are listed. */
  public boolean allows(String host, int port) {
    return allowed.contains(key(host, port));
  }

  /** The allowlist key of a host and port, e.g. {@code example.org:443} or {@code [::1]:8080}. */
  public static String key(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h + ":" + port;
  }

  private static String normalize(String entry) {
    int colon = entry == null ? -1 : entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException("egress entry must be host:port");
    }
    String host = entry.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(entry.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("egress entry must be host:port");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("egress port must be 1..65535");
    }
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    if (!bracketed && !host.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException("egress host must be a name, an IPv4 literal or a bracketed IPv6 literal");
    }
    return key(bracketed ? host.substring(1, host.length() - 1) : host, port);
  }
}
