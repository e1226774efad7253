package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Optional: when {@code node} is on the PATH, a real ECMAScript engine formats the same numbers identically. */
class Es6NumberNodeInteropTest {
  private static final String SCRIPT = "const b=Buffer.alloc(8);"
      + "const out=require('fs').readFileSync(0,'utf8').trim().split('\\n').map(h=>{"
      + "b.writeBigUInt64BE(BigInt('0x'+h));return String(b.readDoubleBE(0));});"
      + "process.stdout.write(out.join('\\n')+'\\n');";

  @Test
  void nodeFormatsSeededRandomDoublesLikeUs() throws Exception {
    Random random = new Random(Es6NumberTest.SEED + 1);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add(Es6NumberTest.randomFinite(random));
    }
    StringBuilder in = new StringBuilder();
    values.forEach(d -> in.append(String.format("%016x%n", Double.doubleToRawLongBits(d))));
    Path input = Files.createTempFile("es6", ".txt");
    Path output = Files.createTempFile("es6", ".out");
    try {
      Files.writeString(input, in, StandardCharsets.US_ASCII);
      Process p;
      try {
        p = new ProcessBuilder("node", "-e", SCRIPT).redirectInput(input.toFile()).redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        assumeTrue(false, "node not on PATH");
        return;
      }
      assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "node did not run the script");
      List<String> expected = Files.readAllLines(output, StandardCharsets.US_ASCII);
      assertEquals(values.size(), expected.size(), "node printed one line per number");
      for (int i = 0; i < values.size(); i++) {
        double d = values.get(i);
        assertEquals(expected.get(i), Es6Number.format(d), "bits " + Long.toHexString(Double.doubleToRawLongBits(d)));
      }
    } finally {
      Files.deleteIfExists(input);
      Files.deleteIfExists(output);
    }
  }
}
