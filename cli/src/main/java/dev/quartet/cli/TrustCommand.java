package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.Ed25519PublicKey;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code quartet trust …}: create the signed trust root that planes and workers pin. */
@Command(name = "trust", mixinStandardHelpOptions = true, description = "Create and inspect trust roots.",
    subcommands = {TrustCommand.Init.class, TrustCommand.Rotate.class})
final class TrustCommand {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,6})([dhm])");

  /** Null when the command runs outside {@link Quartet} (tests). */
  @ParentCommand
  Quartet root;

  boolean json() {
    return root != null && root.global.json();
  }

  /** {@code quartet trust init --admin A.pub… --threshold N --sign A.key… --out trust.json [--expires 365d]}. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Write a version-1 trust root signed by admin keys; refuses unless the trust threshold is met.")
  static final class Init implements Callable<Integer> {

    @ParentCommand
    TrustCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--admin", required = true, arity = "1..*", paramLabel = "A.pub", description = "Admin public key files (SubjectPublicKeyInfo PEM)")
    List<Path> admins;

    @Option(names = "--threshold", paramLabel = "N",
        description = "Signatures needed for the privileged scopes trust, policy, egress (default: min(2, admins)); other scopes need 1")
    Integer threshold;

    @Option(names = "--sign", required = true, arity = "1..*", paramLabel = "A.key", description = "Private keys of admins signing this root")
    List<Path> signers;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Trust root file to create (never overwritten)")
    Path out;

    @Option(names = "--expires", defaultValue = "365d", paramLabel = "D",
        description = "Lifetime (e.g. 365d, 12h, P90D) or an ISO-8601 instant (default: ${DEFAULT-VALUE})")
    String expires;

    /** Time source; replaceable in tests. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      Instant now = clock.instant();
      Map<Ed25519PublicKey, Path> adminKeys = new LinkedHashMap<>();
      for (Path file : admins) {
        Path earlier = adminKeys.putIfAbsent(read(file, KeyFiles::readPublicKey), file);
        if (earlier != null) {
          throw new CliFailure(ExitCode.USAGE, file + " and " + earlier + " hold the same admin key");
        }
      }
      int n = threshold == null ? TrustRoot.defaultPrivilegedThreshold(adminKeys.size()) : threshold;
      if (n < 1 || n > adminKeys.size()) {
        throw new CliFailure(ExitCode.USAGE, "--threshold must be between 1 and the " + adminKeys.size() + " admin key(s), was " + n);
      }
      List<AdminKeyPair> signing = new ArrayList<>();
      for (Path file : signers) {
        AdminKeyPair key = read(file, KeyFiles::readPrivateKey);
        if (!adminKeys.containsKey(key.publicKey())) {
          throw new CliFailure(ExitCode.REJECTED, file + " (" + key.keyId() + ") is not one of the --admin keys");
        }
        signing.add(key);
      }
      TrustRoot root = TrustRoot.create(adminKeys.keySet(), n, expiry(expires, now));
      DsseEnvelope envelope = root.signedBy(signing);
      Verification v = TrustRoot.verifySelfSigned(envelope, now);
      if (v instanceof Verification.Failed f) {
        throw new CliFailure(ExitCode.REJECTED, "trust root not written: " + f.step() + ": " + f.reason());
      }
      write(out, envelope);
      print(spec, parent != null && parent.json(), out, root, envelope, ((Verification.Verified) v).signers().size());
      return ExitCode.OK.code();
    }
  }

  /** The expiry an {@code --expires} value means: a lifetime (365d, 12h, P90D) from now, or an instant. */
  static Instant expiry(String expires, Instant now) {
    Instant at;
    try {
      Matcher m = SIMPLE_DURATION.matcher(expires);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        at = now.plus(m.group(2).equals("d") ? Duration.ofDays(amount) : m.group(2).equals("h") ? Duration.ofHours(amount) : Duration.ofMinutes(amount));
      } else if (expires.startsWith("P")) {
        at = now.plus(Duration.parse(expires));
      } else {
        at = Instant.parse(expires);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new CliFailure(ExitCode.USAGE, "--expires must be a lifetime such as 365d, 12h or P90D, or an ISO-8601 instant, was " + expires);
    }
    at = at.truncatedTo(ChronoUnit.SECONDS);
    if (!at.isAfter(now)) {
      throw new CliFailure(ExitCode.USAGE, "--expires " + expires + " is not in the future");
    }
    return at;
  }

  /** Writes a new trust root file; never overwrites. */
  static void write(Path out, DsseEnvelope envelope) {
    try {
      Files.write(out, envelope.toJsonFile(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new CliFailure(ExitCode.REJECTED, "refusing to overwrite " + out + "; choose another --out or remove it");
    } catch (IOException e) {
      throw new CliFailure(ExitCode.REJECTED, "cannot write " + out + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  /** Reports a written trust root, as text or one JSON object. */
  static void print(CommandSpec spec, boolean json, Path out, TrustRoot root, DsseEnvelope envelope, int signatures) {
    String digest = sha256Hex(envelope.payload());
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", root.version());
      o.put("digest", digest);
      o.put("expires", root.expires().toString());
      o.put("admins", root.adminKeys().size());
      o.put("threshold", root.threshold(TrustRoot.TRUST_SCOPE));
      o.put("signatures", signatures);
      o.put("out", out.toString());
      w.println(new String(CanonicalJson.serialize(o), StandardCharsets.UTF_8));
    } else {
      w.printf("wrote %s: trust root version %d, %d admin key(s), privileged threshold %d, %d signature(s), expires %s, sha256 %s%n",
          out, root.version(), root.adminKeys().size(), root.threshold(TrustRoot.TRUST_SCOPE), signatures, root.expires(), digest);
    }
    w.flush();
  }

  /**
   * {@code quartet trust rotate --current trust.json --admin B.pub… [--threshold N] --sign K.key… --out trust-v2.json}:
   * the next trust root, valid only when signed by the trust threshold of the current root's
   * admins and of the new root's admins. Online lease and checkpoint keys carry over.
   */
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Write the next trust root; refuses unless both the current and the new admins' thresholds sign it.")
  static final class Rotate implements Callable<Integer> {
    @ParentCommand
    TrustCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--current", required = true, paramLabel = "trust.json", description = "The trust root in force")
    Path current;

    @Option(names = "--admin", required = true, arity = "1..*", paramLabel = "A.pub", description = "Admin public keys of the new root")
    List<Path> admins;

    @Option(names = "--threshold", paramLabel = "N", description = "Privileged threshold of the new root (default: min(2, admins))")
    Integer threshold;

    @Option(names = "--sign", required = true, arity = "1..*", paramLabel = "K.key",
        description = "Private keys signing: enough current admins and enough new admins")
    List<Path> signers;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "New trust root file (never overwritten)")
    Path out;

    @Option(names = "--expires", defaultValue = "365d", paramLabel = "D", description = "Lifetime or instant (default: ${DEFAULT-VALUE})")
    String expires;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      Instant now = clock.instant();
      TrustRoot old = readRoot(current, now);
      List<Ed25519PublicKey> keys = new ArrayList<>();
      for (Path file : admins) {
        Ed25519PublicKey k = read(file, KeyFiles::readPublicKey);
        if (keys.contains(k)) {
          throw new CliFailure(ExitCode.USAGE, file + " repeats an admin key");
        }
        keys.add(k);
      }
      int n = threshold == null ? TrustRoot.defaultPrivilegedThreshold(keys.size()) : threshold;
      if (n < 1 || n > keys.size()) {
        throw new CliFailure(ExitCode.USAGE, "--threshold must be between 1 and the " + keys.size() + " admin key(s), was " + n);
      }
      Map<String, Integer> thresholds = new java.util.TreeMap<>();
      TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, n));
      TrustRoot next = new TrustRoot(old.version() + 1, expiry(expires, now), new java.util.HashSet<>(keys), 1, thresholds,
          old.leaseKeys(), old.checkpointKeys());
      List<AdminKeyPair> signing = new ArrayList<>();
      for (Path file : signers) {
        signing.add(read(file, KeyFiles::readPrivateKey));
      }
      DsseEnvelope envelope = next.signedBy(signing);
      Verification v = TrustRoot.verifyRotation(old, envelope, now);
      if (v instanceof Verification.Failed f) {
        throw new CliFailure(ExitCode.REJECTED, "trust root not written: " + f.step() + ": " + f.reason());
      }
      write(out, envelope);
      print(spec, parent != null && parent.json(), out, next, envelope, ((Verification.Verified) v).signers().size());
      return ExitCode.OK.code();
    }

    private static TrustRoot readRoot(Path file, Instant now) {
      try {
        DsseEnvelope envelope = DsseEnvelope.fromJson(Files.readAllBytes(file));
        Verification v = TrustRoot.verifySelfSigned(envelope, now);
        if (v instanceof Verification.Failed f && !"expires".equals(f.step())) {
          throw new CliFailure(ExitCode.REJECTED, file + " does not verify: " + f.step() + ": " + f.reason());
        }
        return TrustRoot.decode(envelope);
      } catch (IOException e) {
        throw new CliFailure(ExitCode.REJECTED, "cannot read " + file + ": " + e.getClass().getSimpleName());
      } catch (IllegalArgumentException e) {
        throw new CliFailure(ExitCode.REJECTED, file + ": " + e.getMessage());
      }
    }
  }

  /** Reads a key file, turning every failure into one line naming the file (never its content). */
  static <T> T read(Path file, KeyReader<T> reader) {
    try {
      return reader.read(file);
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCode.REJECTED, "no such key file: " + file);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.REJECTED, "cannot read " + file + ": " + e.getClass().getSimpleName());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.REJECTED, e.getMessage());
    }
  }

  /** A key-file reader that may fail with I/O or format errors. */
  interface KeyReader<T> {
    T read(Path file) throws IOException;
  }

  static String jsonString(String s) {
    return new String(CanonicalJson.serialize(s), StandardCharsets.UTF_8);
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
