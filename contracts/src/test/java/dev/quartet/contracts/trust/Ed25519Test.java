package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quartet.contracts.trust.SharedVectors.flipBit;
import static dev.quartet.contracts.trust.SharedVectors.hex;
import static dev.quartet.contracts.trust.SharedVectors.list;
import static dev.quartet.contracts.trust.SharedVectors.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ed25519Test {
  private static final long SEED = 0x5eed_25519L;

  @Test
  void rfc8032Section71VectorsDeriveKeySignAndVerifyByteForByte() {
    List<Object> vectors = list(map(SharedVectors.json("ed25519/rfc8032_section7_1.json")).get("vectors"));
    assertEquals(5, vectors.size(), "RFC 8032 §7.1 has 5 Ed25519 vectors");
    for (Object o : vectors) {
      Map<String, Object> v = map(o);
      String name = (String) v.get("name");
      byte[] seed = hex(v.get("secret_key"));
      byte[] pub = hex(v.get("public_key"));
      byte[] msg = hex(v.get("message"));
      byte[] sig = hex(v.get("signature"));
      assertArrayEquals(pub, Ed25519.publicKeyOf(seed), name + ": public key");
      assertArrayEquals(sig, Ed25519.sign(seed, msg), name + ": deterministic signature");
      assertArrayEquals(sig, AdminKeyPair.fromSeed(seed).sign(msg), name + ": AdminKeyPair signature");
      assertTrue(Ed25519.verify(pub, msg, sig), name + ": verifies");
      assertTrue(new Ed25519PublicKey(pub).verifies(msg, sig), name + ": Ed25519PublicKey verifies");
    }
  }

  @Test
  void rfc8032SignatureFailsWhenAnyBitOfSignatureOrKeyFlips() {
    Map<String, Object> v = map(list(map(SharedVectors.json("ed25519/rfc8032_section7_1.json")).get("vectors")).get(2));
    byte[] pub = hex(v.get("public_key"));
    byte[] msg = hex(v.get("message"));
    byte[] sig = hex(v.get("signature"));
    for (int bit = 0; bit < sig.length * 8; bit++) {
      assertFalse(Ed25519.verify(pub, msg, flipBit(sig, bit)), "signature bit " + bit + " flipped must not verify");
    }
    for (int bit = 0; bit < pub.length * 8; bit++) {
      assertFalse(Ed25519.verify(flipBit(pub, bit), msg, sig), "public key bit " + bit + " flipped must not verify");
    }
    for (int bit = 0; bit < msg.length * 8; bit++) {
      assertFalse(Ed25519.verify(pub, flipBit(msg, bit), sig), "message bit " + bit + " flipped must not verify");
    }
  }

  /**
   * C2SP/CCTV edge cases. Quartet's policy is strict cofactorless (reject the low-order residue,
   * reject non-canonical A and R) and, on top, refuses keys and R values outside the prime-order
   * subgroup (small-order or mixed-order A, small-order R): no honest signer produces those.
   */
  @Test
  void cctvEdgeCasesFollowStrictCofactorlessPolicy() {
    List<Object> vectors = list(SharedVectors.json("ed25519/cctv_ed25519vectors.json"));
    assertEquals(914, vectors.size(), "CCTV ed25519vectors count");
    int accepted = 0;
    int strictAccepted = 0;
    List<String> wrong = new ArrayList<>();
    for (Object o : vectors) {
      Map<String, Object> v = map(o);
      List<Object> flags = v.get("flags") == null ? List.of() : list(v.get("flags"));
      byte[] msg = ((String) v.get("msg")).getBytes(StandardCharsets.UTF_8);
      boolean ok = Ed25519.verify(hex(v.get("key")), msg, hex(v.get("sig")));
      boolean strictCofactorless = !flags.contains("low_order_residue") && !flags.contains("non_canonical_A")
          && !flags.contains("non_canonical_R");
      boolean primeOrderOnly = !flags.contains("low_order_A") && !flags.contains("low_order_component_A")
          && !flags.contains("low_order_R");
      if (ok && !strictCofactorless) {
        wrong.add("#" + v.get("number") + " accepted though strict cofactorless rejects it " + flags);
      }
      if (ok != (strictCofactorless && primeOrderOnly)) {
        wrong.add("#" + v.get("number") + " expected " + (strictCofactorless && primeOrderOnly) + " was " + ok + " " + flags);
      }
      accepted += ok ? 1 : 0;
      strictAccepted += strictCofactorless ? 1 : 0;
    }
    assertTrue(wrong.isEmpty(), "vectors disagreeing with the policy: " + wrong);
    assertEquals(1, accepted, "only the flag-free CCTV vector has a prime-order key and R");
    assertEquals(172, strictAccepted, "vectors a plain strict cofactorless verifier accepts");
  }

  @Test
  void seededRandomKeysSignAndVerifyAndRejectCorruption() {
    Random random = new Random(SEED);
    for (int i = 0; i < 100; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] msg = new byte[random.nextInt(200)];
      random.nextBytes(msg);
      AdminKeyPair key = AdminKeyPair.fromSeed(seed);
      byte[] sig = key.sign(msg);
      String ctx = "seed " + SEED + " case " + i;
      assertTrue(key.publicKey().verifies(msg, sig), ctx);
      assertFalse(key.publicKey().verifies(msg, flipBit(sig, random.nextInt(512))), ctx + ": flipped signature");
      if (msg.length > 0) {
        assertFalse(key.publicKey().verifies(flipBit(msg, random.nextInt(msg.length * 8)), sig), ctx + ": flipped message");
      }
      byte[] longer = java.util.Arrays.copyOf(msg, msg.length + 1);
      assertFalse(key.publicKey().verifies(longer, sig), ctx + ": extended message");
    }
  }

  @Test
  void malformedInputsAreRejectedWithoutThrowing() {
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    byte[] pub = key.publicKey().raw();
    byte[] sig = key.sign(new byte[0]);
    assertFalse(Ed25519.verify(null, new byte[0], sig));
    assertFalse(Ed25519.verify(pub, null, sig));
    assertFalse(Ed25519.verify(pub, new byte[0], null));
    assertFalse(Ed25519.verify(new byte[31], new byte[0], sig));
    assertFalse(Ed25519.verify(pub, new byte[0], java.util.Arrays.copyOf(sig, 63)));
    assertFalse(Ed25519.verify(pub, new byte[0], java.util.Arrays.copyOf(sig, 65)));
    assertFalse(Ed25519.isValidPublicKey(new byte[32]), "the all-zero encoding is a small-order point");
  }

  @Test
  void keyIdIsSha256OfRawPublicKeyInLowercaseHex() {
    byte[] pub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    KeyId id = KeyId.of(pub);
    assertEquals(java.util.HexFormat.of().formatHex(KeyId.sha256(pub)), id.hex());
    assertEquals("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9", id.hex());
    assertThrows(IllegalArgumentException.class, () -> new KeyId(id.hex().toUpperCase()));
    assertThrows(IllegalArgumentException.class, () -> new KeyId(id.hex().substring(1)));
    assertThrows(IllegalArgumentException.class, () -> KeyId.of(new byte[31]));
  }

  @Test
  void keyPairNeverPrintsItsSecret() {
    AdminKeyPair key = AdminKeyPair.fromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertFalse(key.toString().contains("9d61b1"), key.toString());
    assertTrue(key.toString().contains(key.keyId().hex()), key.toString());
  }
}
