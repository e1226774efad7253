package dev.quartet.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A bundle zip opened for verification. The zip is untrusted: entry names must be unique (a zip
 * with two entries of one name shows different content to different tools), relative and free of
 * {@code ..}; the entry count and each entry's inflated size are bounded before anything is read.
 */
final class BundleEntries implements Closeable {
  /**
   * Bounds on an untrusted bundle: entries, the inflated size of an entry read whole (and of the
   * manifest), events, and the inflated size of an entry read as a stream (records, renderings, proofs).
   */
  record Limits(int maxEntries, int maxEntryBytes, int maxManifestBytes, int maxEvents, long maxStreamBytes) {
    Limits {
      if (maxEntries < 1 || maxEntryBytes < 1 || maxManifestBytes < 1 || maxEvents < 1 || maxStreamBytes < 1) {
        throw new IllegalArgumentException("bundle limits must be positive");
      }
    }

    /**
     * Room for a million checkpoints and config snapshots, entries up to 16 MiB (a config envelope
     * may take 8), a 256 MiB manifest (it lists checkpoints, not events), ten million events
     * (about 45 bytes of memory each while verifying) and 64 GiB per streamed entry.
     */
    static Limits defaults() {
      return new Limits(1_000_000, 16 * 1024 * 1024, 256 * 1024 * 1024, 10_000_000, 64L << 30);
    }
  }

  private final ZipFile zip;
  private final Set<String> names;
  private final Limits limits;

  private BundleEntries(ZipFile zip, Set<String> names, Limits limits) {
    this.zip = zip;
    this.names = Collections.unmodifiableSet(names);
    this.limits = limits;
  }

  /**
   * Opens {@code file} and checks its entry names.
   *
   * @throws IllegalArgumentException when it is not a zip, or its names break the rules above
   * @throws IOException when it cannot be read
   */
  static BundleEntries open(Path file, Limits limits) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IllegalArgumentException("not a zip file (" + Shown.text(e.getMessage()) + ")");
    }
    try {
      if (zip.size() > limits.maxEntries()) {
        throw new IllegalArgumentException(zip.size() + " entries, at most " + limits.maxEntries() + " accepted");
      }
      Set<String> names = new LinkedHashSet<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("/") || name.contains("\\") || ("/" + name + "/").contains("/../")) {
          throw new IllegalArgumentException("entry name " + Shown.text(name) + " is not a plain relative path");
        }
        if (!names.add(name)) {
          throw new IllegalArgumentException("two entries named " + Shown.text(name));
        }
      }
      return new BundleEntries(zip, names, limits);
    } catch (RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /** Entry names in zip order. */
  Set<String> names() {
    return names;
  }

  boolean contains(String name) {
    return names.contains(name);
  }

  /**
   * The inflated bytes of entry {@code name}.
   *
   * @throws IllegalArgumentException when there is no such entry or it inflates beyond the limit
   * @throws UncheckedIOException when the zip is damaged
   */
  byte[] read(String name) {
    ZipEntry entry = names.contains(name) ? zip.getEntry(name) : null;
    if (entry == null || entry.isDirectory()) {
      throw new IllegalArgumentException("no entry " + Shown.text(name));
    }
    try (InputStream in = zip.getInputStream(entry)) {
      int limit = BundleLayout.MANIFEST.equals(name) ? limits.maxManifestBytes() : limits.maxEntryBytes();
      // The declared size is untrusted: read at most one byte past the limit to find out.
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new IllegalArgumentException("entry " + Shown.text(name) + " inflates beyond " + limit + " bytes");
      }
      return bytes;
    } catch (ZipException e) {
      throw new IllegalArgumentException("entry " + Shown.text(name) + " is damaged (" + Shown.text(e.getMessage()) + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read entry " + Shown.text(name), e);
    }
  }

  /** Bounds this bundle is read under. */
  Limits limits() {
    return limits;
  }

  /**
   * A stream of entry {@code name}'s inflated bytes, for entries read front to back; the reader
   * bounds how much it takes (the declared size is untrusted). Several may be open at once.
   *
   * @throws IllegalArgumentException when there is no such entry
   * @throws UncheckedIOException when the zip is damaged
   */
  InputStream stream(String name) {
    ZipEntry entry = names.contains(name) ? zip.getEntry(name) : null;
    if (entry == null || entry.isDirectory()) {
      throw new IllegalArgumentException("no entry " + Shown.text(name));
    }
    try {
      return zip.getInputStream(entry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read entry " + Shown.text(name), e);
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
