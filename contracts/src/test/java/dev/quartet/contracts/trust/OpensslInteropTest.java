package dev.quartet.contracts.trust;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Optional: when {@code openssl} (3.x) is on the PATH, our key files and signatures interoperate with it. */
class OpensslInteropTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void needsOpenssl() {
    assumeTrue(run(Path.of("."), "openssl", "version").code == 0, "openssl not on PATH");
  }

  @Test
  void opensslReadsOurKeyFilesAndVerifiesOurSignature() throws IOException {
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(key, dir.resolve("ours"));
    Result pub = run(dir, "openssl", "pkey", "-in", "ours.key", "-pubout");
    assertEquals(0, pub.code, pub.err);
    assertEquals(Files.readString(dir.resolve("ours.pub")), pub.out, "openssl derives the same SPKI PEM");

    byte[] msg = "quartet interop".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("msg"), msg);
    Files.write(dir.resolve("msg.sig"), key.sign(msg));
    Result verify = run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ours.pub", "-rawin", "-in", "msg", "-sigfile", "msg.sig");
    assertEquals(0, verify.code, "openssl verifies our signature: " + verify.out + verify.err);
  }

  @Test
  void weReadOpensslKeysAndVerifyItsSignature() throws IOException {
    Result gen = run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", "theirs.key");
    assertEquals(0, gen.code, gen.err);
    assertEquals(0, run(dir, "openssl", "pkey", "-in", "theirs.key", "-pubout", "-out", "theirs.pub").code);
    AdminKeyPair key = KeyFiles.readPrivateKey(dir.resolve("theirs.key"));
    assertEquals(key.publicKey(), KeyFiles.readPublicKey(dir.resolve("theirs.pub")));

    byte[] msg = "signed by openssl".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("msg"), msg);
    Result sign = run(dir, "openssl", "pkeyutl", "-sign", "-inkey", "theirs.key", "-rawin", "-in", "msg", "-out", "msg.sig");
    assertEquals(0, sign.code, sign.err);
    byte[] sig = Files.readAllBytes(dir.resolve("msg.sig"));
    assertTrue(key.publicKey().verifies(msg, sig), "openssl's signature verifies");
    assertEquals(java.util.HexFormat.of().formatHex(key.sign(msg)), java.util.HexFormat.of().formatHex(sig), "Ed25519 is deterministic");
  }

  record Result(int code, String out, String err) {}

  static Result run(Path cwd, String... command) {
    try {
      Path out = Files.createTempFile("openssl", ".out");
      Path err = Files.createTempFile("openssl", ".err");
      Process p = new ProcessBuilder(List.of(command)).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", "timed out: " + String.join(" ", command));
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      return new Result(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", e.toString());
    }
  }
}
