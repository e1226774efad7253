package dev.quartet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes the embedded broker's temporary directory after a bench run. */
final class BenchFiles {
  private BenchFiles() {}

  /** Deletes {@code dir} and everything under it; children before parents. */
  static void deleteTree(Path dir) {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + " to delete it", e);
    }
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + p, e);
      }
    }
  }
}
