package dev.quartet.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * AES-256-GCM with the JDK at 64 KiB (an inline payload) and 1 MiB (a blob chunk). Each
 * encryption takes a fresh 96-bit IV from a counter, as GCM requires; decryption opens one
 * ciphertext made in setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// JDK 17 compiles the GCM loop late: at 1 MiB it runs at ~80 MB/s for ~8 s, then at ~5 GB/s.
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AesGcmBenchmark {
  private static final int TAG_BITS = 128;
  private static final int IV_BYTES = 12;

  @Param({"65536", "1048576"})
  public int size;

  private SecretKeySpec key;
  private Cipher encryptor;
  private Cipher decryptor;
  private byte[] plaintext;
  private byte[] ciphertext;
  private byte[] out;
  private final byte[] iv = new byte[IV_BYTES];
  private final byte[] fixedIv = new byte[IV_BYTES];
  private long counter;

  @Setup
  public void setUp() throws GeneralSecurityException {
    byte[] keyBytes = new byte[32];
    new Random(3).nextBytes(keyBytes);
    key = new SecretKeySpec(keyBytes, "AES");
    plaintext = new byte[size];
    new Random(size).nextBytes(plaintext);
    encryptor = Cipher.getInstance("AES/GCM/NoPadding");
    decryptor = Cipher.getInstance("AES/GCM/NoPadding");
    out = new byte[size + TAG_BITS / 8];
    fixedIv[0] = 1;
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, fixedIv));
    ciphertext = c.doFinal(plaintext);
  }

  @Benchmark
  public int encrypt() throws GeneralSecurityException {
    ByteBuffer.wrap(iv).putLong(4, ++counter);
    encryptor.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
    return encryptor.doFinal(plaintext, 0, plaintext.length, out, 0);
  }

  @Benchmark
  public int decrypt() throws GeneralSecurityException {
    decryptor.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, fixedIv));
    return decryptor.doFinal(ciphertext, 0, ciphertext.length, out, 0);
  }
}
