package dev.quartet.execution.handler;

import dev.quartet.execution.policy.EgressPolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The egress rule of the http handler, applied to the first URL and to every redirect target:
 * <ol>
 *   <li>the URL's host, exactly as written, and port must be in the egress allowlist;</li>
 *   <li>the host is resolved and <em>every</em> address checked: a non-public address (loopback,
 *       private, link-local incl. 169.254.169.254 metadata, unique-local, any-local, multicast,
 *       CGNAT, reserved, or an IPv6 form embedding one) is allowed only when the URL's host is
 *       that IP literal and it is itself allowlisted — a DNS name never vouches for an internal
 *       address, because its answer can change under us (so {@code localhost:18080} is refused
 *       even when allowlisted, while an allowlisted {@code 127.0.0.1:18080} is reachable);</li>
 *   <li>the caller connects to the checked addresses only, so a second DNS answer (rebinding)
 *       is never used.</li>
 * </ol>
 */
final class EgressGuard {
  private static final Pattern IPV4_LITERAL =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private final HostResolver resolver;

  EgressGuard(HostResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * The addresses {@code uri} may be reached at; resolution waits at most {@code resolveMillis}.
   *
   * @throws HandlerFailure permanent when egress is refused, retryable when the name does not resolve in time
   * @throws InterruptedException when cancelled while resolving
   */
  List<InetAddress> check(URI uri, EgressPolicy egress, long resolveMillis) throws HandlerFailure, InterruptedException {
    String host = bareHost(uri);
    int port = port(uri);
    String target = EgressPolicy.key(host, port);
    if (!egress.allows(host, port)) {
      throw HandlerFailure.permanent("egress: " + target + " is not in the egress allowlist");
    }
    boolean literal = isIpLiteral(host);
    List<InetAddress> addresses;
    try {
      // A literal is parsed, never looked up; a name is resolved once, here.
      addresses = literal ? List.of(InetAddress.getByName(host)) : resolve(host, target, resolveMillis);
    } catch (UnknownHostException e) {
      throw HandlerFailure.retryable("egress: " + target + " does not resolve");
    }
    if (addresses.isEmpty()) {
      throw HandlerFailure.retryable("egress: " + target + " does not resolve");
    }
    for (InetAddress a : addresses) {
      if (!literal && isNonPublic(a)) {
        throw HandlerFailure.permanent("egress: " + target + " resolves to a non-public address; only an "
            + "allowlisted IP literal may reach one");
      }
    }
    return addresses;
  }

  /**
   * The JDK resolver can neither be interrupted nor given a timeout, so it runs on its own daemon
   * thread and the caller waits on it with a bound; an abandoned lookup ends at the OS resolver's
   * own timeout and its answer is dropped.
   */
  private List<InetAddress> resolve(String host, String target, long resolveMillis)
      throws HandlerFailure, InterruptedException, UnknownHostException {
    CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();
    Thread lookup = new Thread(() -> {
      try {
        answer.complete(resolver.resolve(host));
      } catch (Throwable e) {
        answer.completeExceptionally(e);
      }
    }, "egress-resolve");
    lookup.setDaemon(true);
    lookup.start();
    try {
      return answer.get(Math.max(1, resolveMillis), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw HandlerFailure.retryable("egress: resolving " + target + " timed out");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException u) {
        throw u;
      }
      throw HandlerFailure.retryable("egress: resolving " + target + " failed");
    }
  }

  static String bareHost(URI uri) throws HandlerFailure {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw HandlerFailure.permanent("http: the url has no host");
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  static boolean isIpLiteral(String host) {
    return IPV4_LITERAL.matcher(host).matches() || host.contains(":");
  }

  /** True for every address that is not plainly on the public internet. */
  static boolean isNonPublic(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      return b0 == 0                                  // 0.0.0.0/8 "this network"
          || (b0 == 100 && (b1 & 0xc0) == 64)         // 100.64.0.0/10 carrier-grade NAT
          || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0)  // 192.0.0.0/24 protocol assignments
          || (b0 == 198 && (b1 & 0xfe) == 18)         // 198.18.0.0/15 benchmarking
          || b0 >= 240;                               // 240.0.0.0/4 reserved and broadcast
    }
    if (a instanceof Inet6Address v6) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true;  // fc00::/7 unique local
      }
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
          && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
      if (v6.isIPv4CompatibleAddress() || nat64) {
        try {
          return isNonPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;  // four bytes are always an address; refuse if the JDK disagrees
        }
      }
    }
    return false;
  }
}
