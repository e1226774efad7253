package dev.quartet.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Baseline: durable file writes as the data plane's local blob store makes them — write a temporary
 * file, fsync it, rename it atomically into place, fsync the directory — by as many threads as the
 * data put scenarios have clients, each replacing its own file (as a re-stored blob replaces its
 * content-addressed file), so the disk never fills. In a temporary directory next to the bench's others.
 */
final class RawFsyncFileScenario implements BenchScenario {
  private final int size;
  private final int writers;

  RawFsyncFileScenario(int size, int writers) {
    this.size = size;
    this.writers = writers;
  }

  /** The name of the fsync'd file baseline at {@code size}. */
  static String nameFor(int size) {
    return "raw-fsync-file-" + BenchSettings.sizeLabel(size);
  }

  @Override
  public String name() {
    return nameFor(size);
  }

  @Override
  public String description() {
    return "plain file writes of " + size + " B: temp file + fsync + atomic rename + directory fsync, "
        + writers + " threads; files/s";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("quartet-bench-fsync-");
    try {
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      Path shard = Files.createDirectories(dir.resolve("ab"));
      byte[] content = new byte[size];
      new Random(size).nextBytes(content);
      ConcurrentLoad.Result r = ConcurrentLoad.run(writers, c -> {
        write(tmp.resolve("blob-" + c + ".tmp"), shard, shard.resolve("blob-" + c), content);
        return ConcurrentLoad.Outcome.ACCEPTED;
      }, ctx.settings().warmup(), ctx.settings().duration(), DataPutScenario.REFUSED_PAUSE,
          ctx.settings().operationTimeout(), ctx::startMeasuring, ctx::stopMeasuring);
      if (r.accepted() < 1) {
        throw new IllegalStateException("no " + size + " B file was written in " + ctx.settings().duration());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("recordsPerSec", r.acceptedPerSecond());
      metrics.put("megabytesPerSec", r.accepted() * (double) size / r.seconds() / 1e6);
      metrics.put("records", (double) r.accepted());
      metrics.put("seconds", r.seconds());
      metrics.put("valueBytes", (double) size);
      metrics.put("clients", (double) writers);
      return new ScenarioResult(Figure.recordsPerSecond(r.acceptedPerSecond()), metrics);
    } finally {
      TempFiles.deleteTree(dir);
    }
  }

  private static void write(Path temp, Path shard, Path target, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename is durable only once the directory entry is.
    try (FileChannel d = FileChannel.open(shard, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
