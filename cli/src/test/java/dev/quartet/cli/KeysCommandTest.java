package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.KeyId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysCommandTest {
  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  /**
   * Runs a command line under {@link Quartet} as {@code Quartet.execute} does (same error mapping),
   * adding {@code keys} and {@code trust} if Quartet does not register them yet.
   */
  static Run run(Clock clock, String... args) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K o = CommandLine.defaultFactory().create(cls);
        if (o instanceof TrustCommand.Init init) {
          init.clock = clock;
        }
        if (o instanceof TrustCommand.Rotate rotate) {
          rotate.clock = clock;
        }
        return o;
      }
    };
    CommandLine cli = new CommandLine(new Quartet(), factory);
    if (!cli.getSubcommands().containsKey("keys")) {
      cli.addSubcommand(new CommandLine(KeysCommand.class, factory));
    }
    if (!cli.getSubcommands().containsKey("trust")) {
      cli.addSubcommand(new CommandLine(TrustCommand.class, factory));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliFailure f) {
        line.getErr().println("quartet: " + f.getMessage());
        return f.exitCode().code();
      }
      throw e;
    });
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void generateWritesOwnerOnlyPkcs8KeyAndSpkiPublicKeyAndPrintsKeyId() throws Exception {
    Run r = run(Clock.systemUTC(), "keys", "generate", "--out", dir.resolve("alice").toString());
    assertEquals(0, r.exitCode(), r.err());
    Path key = dir.resolve("alice.key");
    Path pub = dir.resolve("alice.pub");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----"));
    KeyId id = KeyFiles.readPublicKey(pub).keyId();
    assertEquals(id.hex(), r.out().strip(), "prints exactly the key id");
    assertEquals(id, KeyFiles.readPrivateKey(key).keyId());
    assertFalse(r.out().contains("PRIVATE"), "never prints the key");
  }

  @Test
  void generateRefusesToOverwriteAndExitsOne() throws Exception {
    String name = dir.resolve("bob").toString();
    assertEquals(0, run(Clock.systemUTC(), "keys", "generate", "--out", name).exitCode());
    String before = Files.readString(dir.resolve("bob.key"));
    Run again = run(Clock.systemUTC(), "keys", "generate", "--out", name);
    assertEquals(ExitCode.REJECTED.code(), again.exitCode(), again.err());
    assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());
    assertTrue(again.err().contains("refusing to overwrite") && again.err().contains("bob.key"), again.err());
    assertEquals(before, Files.readString(dir.resolve("bob.key")));
  }

  @Test
  void generatePrintsJsonWithTheSpecsIdField() {
    Run r = run(Clock.systemUTC(), "--output", "json", "keys", "generate", "--out", dir.resolve("carol").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().strip().matches("\\{\"id\":\"[0-9a-f]{64}\",\"key\":\".*carol\\.key\",\"pub\":\".*carol\\.pub\"}"), r.out());
  }

  @Test
  void missingOutIsAUsageErrorAndMissingDirectoryIsRejected() {
    assertEquals(ExitCode.USAGE.code(), run(Clock.systemUTC(), "keys", "generate").exitCode());
    Run r = run(Clock.systemUTC(), "keys", "generate", "--out", dir.resolve("no/such/dir/dave").toString());
    assertEquals(ExitCode.REJECTED.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());
  }
}
