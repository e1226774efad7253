package dev.quartet.execution.handler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one child-process stream on its own thread into a bounded buffer. A {@code strict}
 * capture (stdout) stops at the bound and calls {@code onOverflow} (which kills the process); a
 * lenient one (stderr) keeps the first bytes and drains the rest so the child never blocks on it.
 */
final class StreamCapture implements Runnable {
  private final InputStream in;
  private final long limit;
  private final boolean strict;
  private final Runnable onOverflow;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private volatile long total;
  private volatile boolean overflowed;
  private volatile boolean finished;

  StreamCapture(InputStream in, long limit, boolean strict, Runnable onOverflow) {
    this.in = in;
    this.limit = limit;
    this.strict = strict;
    this.onOverflow = onOverflow;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) != -1) {
        long room = limit - total;
        total += n;
        synchronized (kept) {
          kept.write(buf, 0, (int) Math.max(0, Math.min(room, n)));
        }
        if (n > room && !overflowed) {
          overflowed = true;
          if (strict) {
            onOverflow.run();
            return;
          }
        }
      }
    } catch (IOException e) {
      // The stream closes under us when the process is killed: what was read is what there is.
    } finally {
      finished = true;
    }
  }

  boolean overflowed() {
    return overflowed;
  }

  boolean finished() {
    return finished;
  }

  long total() {
    return total;
  }

  byte[] bytes() {
    synchronized (kept) {
      return kept.toByteArray();
    }
  }
}
