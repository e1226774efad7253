package dev.quartet.execution.handler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange ({@code Connection: close}) with an already checked address. It is
 * written on a socket channel rather than {@code java.net.http.HttpClient} for two reasons: the
 * JDK client resolves the host itself (a DNS rebinding could swap the checked address), and a
 * channel's blocking operations end at once when the thread is interrupted (cancellation). TLS
 * keeps the URL's host for SNI and certificate checks while connecting to the checked address.
 */
final class HttpWire {
  /** What the handler needs from a response. */
  record Response(int status, String location, String contentType, byte[] body) {}

  /** The wall-clock end of an attempt. */
  record Deadline(long endNanos, String timeoutText) {
    int remainingMillis() throws HandlerFailure {
      long left = endNanos - System.nanoTime();
      if (left <= 0) {
        throw HandlerFailure.retryable("http: timed out after " + timeoutText);
      }
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }
  }

  private final SSLSocketFactory tls;

  HttpWire(SSLSocketFactory tls) {
    this.tls = tls;
  }

  /** Sends one request to the first of {@code addresses} that accepts a connection and reads the response. */
  Response exchange(List<InetAddress> addresses, URI uri, String method, byte[] body, Map<String, String> headers,
                    HandlerLimits limits, Deadline deadline) throws HandlerFailure, InterruptedException {
    String target = EgressGuard.bareHost(uri) + ":" + EgressGuard.port(uri);
    HandlerFailure last = null;
    for (InetAddress address : addresses) {
      try (SocketChannel channel = SocketChannel.open()) {
        Socket socket = channel.socket();
        int connectMillis = (int) Math.min(limits.connectTimeout().toMillis(), deadline.remainingMillis());
        try {
          socket.connect(new InetSocketAddress(address, EgressGuard.port(uri)), Math.max(1, connectMillis));
        } catch (ConnectException | SocketTimeoutException e) {
          throwIfInterrupted();
          last = HandlerFailure.retryable("http: cannot connect to " + target);
          continue;
        }
        Socket io = "https".equalsIgnoreCase(uri.getScheme()) ? tls(socket, uri, deadline) : socket;
        write(io, uri, method, body, headers, deadline);
        return read(io, method, limits, deadline);
      } catch (SocketTimeoutException e) {
        throwIfInterrupted();
        throw HandlerFailure.retryable("http: " + target + " timed out after " + deadline.timeoutText());
      } catch (SSLException e) {
        throwIfInterrupted();
        throw HandlerFailure.permanent("http: TLS with " + target + " failed");
      } catch (IOException e) {
        throwIfInterrupted();  // ClosedByInterruptException: the task was cancelled
        throw HandlerFailure.retryable("http: I/O error with " + target + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    throw last;
  }

  private Socket tls(Socket socket, URI uri, Deadline deadline) throws IOException, HandlerFailure {
    String host = EgressGuard.bareHost(uri);
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, EgressGuard.port(uri), true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!EgressGuard.isIpLiteral(host)) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(params);
    ssl.setSoTimeout(deadline.remainingMillis());
    ssl.startHandshake();
    return ssl;
  }

  private static void write(Socket io, URI uri, String method, byte[] body, Map<String, String> headers,
                            Deadline deadline) throws IOException, HandlerFailure {
    StringBuilder head = new StringBuilder();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append(method).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority()).append("\r\nConnection: close\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    io.setSoTimeout(deadline.remainingMillis());
    OutputStream out = io.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  private static Response read(Socket io, String method, HandlerLimits limits, Deadline deadline)
      throws IOException, HandlerFailure {
    Reader in = new Reader(io, deadline, limits.maxDiagnosticBytes());
    long headBytes = 0;
    while (true) {
      String status = in.line();
      headBytes += status.length();
      if (!status.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
        throw HandlerFailure.permanent("http: malformed status line");
      }
      int code = Integer.parseInt(status.substring(9, 12));
      Map<String, String> headers = new HashMap<>();
      for (String line = in.line(); !line.isEmpty(); line = in.line()) {
        headBytes += line.length() + 2;
        if (headBytes > limits.maxDiagnosticBytes()) {
          throw HandlerFailure.permanent("http: response head exceeds " + limits.maxDiagnosticBytes() + " bytes");
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      if (code >= 100 && code < 200) {
        continue;  // an interim response (100 Continue): the real one follows
      }
      byte[] body = new byte[0];
      // Only a success's body is output; any other answer is judged by its status alone.
      if (code >= 200 && code < 300 && !"HEAD".equals(method) && code != 204) {
        body = body(in, headers, limits.maxOutputBytes());
      }
      return new Response(code, headers.get("location"), headers.get("content-type"), body);
    }
  }

  private static byte[] body(Reader in, Map<String, String> headers, long limit) throws IOException, HandlerFailure {
    String tooBig = "http: response exceeds the limit of " + limit + " bytes";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      while (true) {
        String sizeLine = in.line();
        int semi = sizeLine.indexOf(';');
        long size;
        try {
          size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw HandlerFailure.permanent("http: malformed chunk size");
        }
        if (size == 0) {
          return out.toByteArray();  // trailers are not needed: the connection closes
        }
        if (size < 0 || out.size() + size > limit) {
          throw HandlerFailure.permanent(tooBig);
        }
        in.exactly(out, size);
        in.line();
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long size;
      try {
        size = Long.parseLong(length);
      } catch (NumberFormatException e) {
        throw HandlerFailure.permanent("http: malformed Content-Length");
      }
      if (size < 0 || size > limit) {
        throw HandlerFailure.permanent(tooBig);
      }
      in.exactly(out, size);
      return out.toByteArray();
    }
    if (!in.untilEnd(out, limit)) {
      throw HandlerFailure.permanent(tooBig);
    }
    return out.toByteArray();
  }

  private static void throwIfInterrupted() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("http: cancelled");
    }
  }

  /** Buffered reads that re-arm the socket timeout from the deadline before every fill. */
  private static final class Reader {
    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final int maxLine;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    Reader(Socket socket, Deadline deadline, int maxLine) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
      this.maxLine = maxLine;
    }

    private boolean fill() throws IOException, HandlerFailure {
      socket.setSoTimeout(deadline.remainingMillis());
      int n = in.read(buf);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      end = n;
      return true;
    }

    String line() throws IOException, HandlerFailure {
      StringBuilder line = new StringBuilder();
      while (true) {
        if (pos == end && !fill()) {
          throw HandlerFailure.retryable("http: connection closed mid-response");
        }
        char c = (char) (buf[pos++] & 0xff);
        if (c == '\n') {
          int len = line.length();
          return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
        }
        if (line.length() >= maxLine) {
          throw HandlerFailure.permanent("http: response head line exceeds " + maxLine + " bytes");
        }
        line.append(c);
      }
    }

    void exactly(ByteArrayOutputStream out, long size) throws IOException, HandlerFailure {
      long left = size;
      while (left > 0) {
        if (pos == end && !fill()) {
          throw HandlerFailure.retryable("http: connection closed mid-body");
        }
        int n = (int) Math.min(left, end - pos);
        out.write(buf, pos, n);
        pos += n;
        left -= n;
      }
    }

    boolean untilEnd(ByteArrayOutputStream out, long limit) throws IOException, HandlerFailure {
      while (pos < end || fill()) {
        int n = end - pos;
        if (out.size() + n > limit) {
          return false;
        }
        out.write(buf, pos, n);
        pos = end;
      }
      return true;
    }
  }
}
