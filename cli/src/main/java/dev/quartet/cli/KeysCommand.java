package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

/** {@code quartet keys …}: an admin's Ed25519 signing keys, made and kept on the admin's own machine. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create admin signing keys (Ed25519).",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand {
  /** Null when the command runs outside {@link Quartet} (tests). */
  @ParentCommand
  Quartet root;

  boolean json() {
    return root != null && root.global.json();
  }

  /** {@code quartet keys generate --out NAME}: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (SubjectPublicKeyInfo PEM). */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (SubjectPublicKeyInfo PEM); print the key id.")
  static final class Generate implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "NAME", description = "Path prefix of the two key files")
    Path out;

    /** Source of key material; replaceable in tests. */
    SecureRandom random = new SecureRandom();

    @Override
    public Integer call() {
      AdminKeyPair key = AdminKeyPair.generate(random);
      Path priv = KeyFiles.privateKeyFile(out);
      Path pub = KeyFiles.publicKeyFile(out);
      try {
        KeyFiles.writeNew(key, out);
      } catch (FileAlreadyExistsException e) {
        throw new CliFailure(ExitCode.REJECTED, "refusing to overwrite " + e.getFile() + "; choose another --out or remove it");
      } catch (NoSuchFileException e) {
        throw new CliFailure(ExitCode.REJECTED, "cannot create " + priv + ": directory " + priv.toAbsolutePath().getParent() + " does not exist");
      } catch (IOException e) {
        throw new CliFailure(ExitCode.REJECTED, "cannot write " + priv + " / " + pub + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
      }
      PrintWriter w = spec.commandLine().getOut();
      if (parent != null && parent.json()) {
        w.println("{\"id\":\"" + key.keyId() + "\",\"key\":" + TrustCommand.jsonString(priv.toString())
            + ",\"pub\":" + TrustCommand.jsonString(pub.toString()) + "}");
      } else {
        w.println(key.keyId());
      }
      w.flush();
      return ExitCode.OK.code();
    }
  }
}
