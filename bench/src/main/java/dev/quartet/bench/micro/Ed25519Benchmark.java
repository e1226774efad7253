package dev.quartet.bench.micro;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.BenchmarkMode;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Ed25519 sign and verify of a 256-byte message (about a signed checkpoint note): BouncyCastle's
 * lightweight API against the JDK's "Ed25519" provider. Per PERF-GOALS one signature costs more
 * than a Kafka record's CPU budget, so Quartet signs checkpoints and batches, never records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519Benchmark {
  private static final int MESSAGE_BYTES = 256;

  private final byte[] message = new byte[MESSAGE_BYTES];
  private Ed25519Signer bcSigner;
  private Ed25519Signer bcVerifier;
  private byte[] bcSignature;
  private Signature jdkSigner;
  private Signature jdkVerifier;
  private byte[] jdkSignature;

  @Setup
  public void setUp() throws GeneralSecurityException {
    new Random(1).nextBytes(message);
    byte[] seed = new byte[32];
    new Random(2).nextBytes(seed);
    Ed25519PrivateKeyParameters bcPrivate = new Ed25519PrivateKeyParameters(seed, 0);
    Ed25519PublicKeyParameters bcPublic = bcPrivate.generatePublicKey();
    bcSigner = new Ed25519Signer();
    bcSigner.init(true, bcPrivate);
    bcVerifier = new Ed25519Signer();
    bcVerifier.init(false, bcPublic);
    bcSignature = bcSign();

    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(255, SecureRandom.getInstance("SHA1PRNG"));
    KeyPair jdkKeys = generator.generateKeyPair();
    jdkSigner = Signature.getInstance("Ed25519");
    jdkSigner.initSign(jdkKeys.getPrivate());
    jdkVerifier = Signature.getInstance("Ed25519");
    jdkVerifier.initVerify(jdkKeys.getPublic());
    jdkSignature = jdkSign();
    if (!bcVerify() || !jdkVerify()) {
      throw new IllegalStateException("Ed25519 round trip failed in setup");
    }
  }

  @Benchmark
  public byte[] bcSign() {
    bcSigner.update(message, 0, message.length);
    return bcSigner.generateSignature();
  }

  @Benchmark
  public boolean bcVerify() {
    bcVerifier.update(message, 0, message.length);
    return bcVerifier.verifySignature(bcSignature);
  }

  @Benchmark
  public byte[] jdkSign() throws GeneralSecurityException {
    jdkSigner.update(message);
    return jdkSigner.sign();
  }

  @Benchmark
  public boolean jdkVerify() throws GeneralSecurityException {
    jdkVerifier.update(message);
    return jdkVerifier.verify(jdkSignature);
  }
}
