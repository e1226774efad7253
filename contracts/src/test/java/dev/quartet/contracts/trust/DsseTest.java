package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.quartet.contracts.trust.SharedVectors.flipBit;
import static dev.quartet.contracts.trust.SharedVectors.hex;
import static dev.quartet.contracts.trust.SharedVectors.list;
import static dev.quartet.contracts.trust.SharedVectors.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DsseTest {
  static final String TYPE = "application/vnd.quartet.test+json";
  static final long SEED = 0xD55EL;
  static final List<AdminKeyPair> KEYS = keys(4);

  static List<AdminKeyPair> keys(int n) {
    List<AdminKeyPair> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (i + 1);
      keys.add(AdminKeyPair.fromSeed(seed));
    }
    return keys;
  }

  static Map<String, Object> publishedVector() {
    return map(list(map(SharedVectors.json("dsse/dsse_protocol_vectors.json")).get("vectors")).get(0));
  }

  @Test
  void paeMatchesThePublishedVector() {
    Map<String, Object> v = publishedVector();
    byte[] pae = Dsse.pae((String) v.get("payloadType"), hex(v.get("payload_hex")));
    assertArrayEquals(hex(v.get("pae_hex")), pae);
    assertEquals(v.get("pae_ascii"), new String(pae, StandardCharsets.US_ASCII));
    assertEquals("DSSEv1 0  0 ", new String(Dsse.pae("", new byte[0]), StandardCharsets.US_ASCII));
    assertEquals("DSSEv1 2 \u00e9 1 x", new String(Dsse.pae("\u00e9", new byte[] {'x'}), StandardCharsets.UTF_8), "LEN counts UTF-8 bytes");
  }

  /** The published envelope is ECDSA P-256: checking it with the JDK proves our parsing and PAE agree with DSSE. */
  @Test
  void publishedEnvelopeParsesAndItsSignatureVerifiesOverOurPae() throws Exception {
    Map<String, Object> v = publishedVector();
    DsseEnvelope env = DsseEnvelope.fromJson(((String) v.get("envelope_text_as_in_spec")).getBytes(StandardCharsets.UTF_8));
    assertEquals("http://example.com/HelloWorld", env.payloadType());
    assertEquals("hello world", new String(env.payload(), StandardCharsets.UTF_8));
    assertEquals(1, env.signatures().size());
    assertEquals("", env.signatures().get(0).keyid(), "the vector has no keyid");

    Map<String, Object> key = map(v.get("key"));
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECPoint w = new ECPoint(new BigInteger((String) key.get("X_decimal")), new BigInteger((String) key.get("Y_decimal")));
    PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params.getParameterSpec(ECParameterSpec.class)));
    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
    ecdsa.initVerify(pub);
    ecdsa.update(Dsse.pae(env.payloadType(), env.payload()));
    assertTrue(ecdsa.verify(env.signatures().get(0).sig()), "published signature over our PAE");

    DsseEnvelope again = DsseEnvelope.fromJson(env.toJson());
    assertEquals(env, again);
    assertEquals("{\"payload\":\"aGVsbG8gd29ybGQ=\",\"payloadType\":\"http://example.com/HelloWorld\",\"signatures\":[{\"sig\":\""
        + map(list(map(v.get("envelope")).get("signatures")).get(0)).get("sig") + "\"}]}", new String(env.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void signedEnvelopeVerifiesAndNamesItsSigner() {
    AdminKeyPair alice = KEYS.get(0);
    DsseEnvelope env = Dsse.sign(TYPE, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), alice);
    assertEquals(alice.keyId().hex(), env.signatures().get(0).keyid());
    Verification v = Dsse.verify(DsseEnvelope.fromJson(env.toJson()), TYPE, List.of(alice.publicKey()), 1);
    assertEquals(new Verification.Verified(Set.of(alice.keyId())), v);
  }

  @Test
  void anyFlippedBitInPayloadSignatureOrPaeFails() {
    Random random = new Random(SEED);
    AdminKeyPair alice = KEYS.get(0);
    List<Ed25519PublicKey> trusted = List.of(alice.publicKey());
    byte[] payload = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
    DsseEnvelope env = Dsse.sign(TYPE, payload, alice);
    byte[] sig = env.signatures().get(0).sig();
    for (int bit = 0; bit < payload.length * 8; bit++) {
      DsseEnvelope tampered = new DsseEnvelope(TYPE, flipBit(payload, bit), env.signatures());
      assertInstanceOf(Verification.Failed.class, Dsse.verify(tampered, TYPE, trusted, 1), "payload bit " + bit);
    }
    for (int bit = 0; bit < sig.length * 8; bit++) {
      DsseEnvelope tampered = new DsseEnvelope(TYPE, payload, List.of(new DsseSignature(alice.keyId().hex(), flipBit(sig, bit))));
      assertInstanceOf(Verification.Failed.class, Dsse.verify(tampered, TYPE, trusted, 1), "sig bit " + bit);
    }
    byte[] pae = Dsse.pae(TYPE, payload);
    assertTrue(alice.publicKey().verifies(pae, sig));
    for (int bit = 0; bit < pae.length * 8; bit++) {
      assertFalse(alice.publicKey().verifies(flipBit(pae, bit), sig), "PAE bit " + bit);
    }
    DsseEnvelope parsed = DsseEnvelope.fromJson(env.toJson());
    for (int i = 0; i < 200; i++) { // seeded: payload, signature or both corrupted after a JSON round trip
      int what = random.nextInt(3);
      byte[] p = what != 1 ? flipBit(parsed.payload(), random.nextInt(payload.length * 8)) : parsed.payload();
      byte[] s = what != 0 ? flipBit(sig, random.nextInt(512)) : sig;
      DsseEnvelope tampered = new DsseEnvelope(TYPE, p, List.of(new DsseSignature(alice.keyId().hex(), s)));
      assertInstanceOf(Verification.Failed.class, Dsse.verify(tampered, TYPE, trusted, 1), "seed " + SEED + " case " + i);
    }
  }

  @Test
  void wrongPayloadTypeFailsBothAsMismatchAndAsSignature() {
    AdminKeyPair alice = KEYS.get(0);
    DsseEnvelope env = Dsse.sign(TYPE, new byte[] {1}, alice);
    Verification v = Dsse.verify(env, "application/vnd.quartet.config+json", List.of(alice.publicKey()), 1);
    assertEquals("payloadType", ((Verification.Failed) v).step());
    DsseEnvelope relabeled = new DsseEnvelope("application/vnd.quartet.config+json", env.payload(), env.signatures());
    v = Dsse.verify(relabeled, "application/vnd.quartet.config+json", List.of(alice.publicKey()), 1);
    assertEquals("threshold", ((Verification.Failed) v).step(), "the signature covers the type: " + v);
  }

  @Test
  void thresholdCountsDistinctTrustedKeysWithValidSignatures() {
    byte[] payload = "k-of-n".getBytes(StandardCharsets.UTF_8);
    List<Ed25519PublicKey> trusted = List.of(KEYS.get(0).publicKey(), KEYS.get(1).publicKey(), KEYS.get(2).publicKey());
    DsseEnvelope one = Dsse.sign(TYPE, payload, KEYS.get(0));
    DsseEnvelope two = Dsse.sign(one, KEYS.get(1));
    assertTrue(Dsse.verify(two, TYPE, trusted, 2).isVerified());
    Verification.Failed f = (Verification.Failed) Dsse.verify(one, TYPE, trusted, 2);
    assertEquals("threshold", f.step());
    assertTrue(f.reason().startsWith("1 of 2 required"), f.reason());

    // The same key signing twice (once with an empty keyid) still counts once.
    DsseSignature again = new DsseSignature("", one.signatures().get(0).sig());
    DsseEnvelope twice = new DsseEnvelope(TYPE, payload, List.of(one.signatures().get(0), again));
    assertEquals("threshold", ((Verification.Failed) Dsse.verify(twice, TYPE, trusted, 2)).step());
    assertEquals(Dsse.sign(one, KEYS.get(0)), one, "re-signing with the same key replaces, not adds");

    // A valid signature by an untrusted key is ignored, not counted.
    DsseEnvelope withOutsider = Dsse.sign(one, KEYS.get(3));
    assertEquals("threshold", ((Verification.Failed) Dsse.verify(withOutsider, TYPE, trusted, 2)).step());

    // A trusted keyid on someone else's signature is not counted and is reported.
    DsseSignature forged = new DsseSignature(KEYS.get(1).keyId().hex(), Dsse.sign(TYPE, payload, KEYS.get(3)).signatures().get(0).sig());
    Verification.Failed forgedResult = (Verification.Failed) Dsse.verify(
        new DsseEnvelope(TYPE, payload, List.of(one.signatures().get(0), forged)), TYPE, trusted, 2);
    assertTrue(forgedResult.reason().contains("invalid: signatures[1] by " + KEYS.get(1).keyId()), forgedResult.reason());

    // Signatures without keyid are matched against every trusted key.
    DsseSignature anonymous = new DsseSignature("", Dsse.sign(TYPE, payload, KEYS.get(2)).signatures().get(0).sig());
    Verification v = Dsse.verify(new DsseEnvelope(TYPE, payload, List.of(one.signatures().get(0), anonymous)), TYPE, trusted, 2);
    assertEquals(new Verification.Verified(Set.of(KEYS.get(0).keyId(), KEYS.get(2).keyId())), v);
  }

  @Test
  void unsatisfiableOrEmptyInputsFailAndBadThresholdIsAProgrammingError() {
    DsseEnvelope env = Dsse.sign(TYPE, new byte[0], KEYS.get(0));
    assertEquals("threshold", ((Verification.Failed) Dsse.verify(env, TYPE, List.of(KEYS.get(0).publicKey()), 2)).step());
    assertEquals("signatures", ((Verification.Failed) Dsse.verify(DsseEnvelope.unsigned(TYPE, new byte[0]), TYPE,
        List.of(KEYS.get(0).publicKey()), 1)).step());
    assertThrows(IllegalArgumentException.class, () -> Dsse.verify(env, TYPE, List.of(KEYS.get(0).publicKey()), 0));
  }

  @Test
  void boundsTheNumberOfSignatures() {
    DsseEnvelope env = Dsse.sign(TYPE, new byte[] {7}, KEYS.get(0));
    List<DsseSignature> many = new ArrayList<>();
    for (int i = 0; i <= DsseEnvelope.MAX_SIGNATURES; i++) {
      many.add(new DsseSignature("unknown-" + i, new byte[64]));
    }
    many.add(env.signatures().get(0));
    DsseEnvelope crowded = new DsseEnvelope(TYPE, env.payload(), many);
    assertEquals("signatures", ((Verification.Failed) Dsse.verify(crowded, TYPE, List.of(KEYS.get(0).publicKey()), 1)).step());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DsseEnvelope.fromJson(crowded.toJson()));
    assertTrue(e.getMessage().contains("at most " + DsseEnvelope.MAX_SIGNATURES), e.getMessage());
  }

  @Test
  void envelopeJsonAcceptsUrlSafeUnpaddedBase64AndRejectsMalformedEnvelopes() {
    DsseEnvelope env = DsseEnvelope.fromJson(
        "{\"payloadType\":\"t\",\"payload\":\"-_8\",\"signatures\":[{\"sig\":\"AQ\",\"extra\":1}],\"other\":true}".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, env.payload());
    String[] bad = {"[]", "{\"payload\":\"\",\"signatures\":[]}", "{\"payloadType\":\"t\",\"signatures\":[]}",
        "{\"payloadType\":\"t\",\"payload\":\"!!\",\"signatures\":[]}", "{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":{}}",
        "{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"keyid\":\"k\"}]}", "{\"payloadType\":\"\",\"payload\":\"\",\"signatures\":[]}"};
    for (String json : bad) {
      assertThrows(IllegalArgumentException.class, () -> DsseEnvelope.fromJson(json.getBytes(StandardCharsets.UTF_8)), json);
    }
    assertFalse(env.toString().contains("-_8"), "toString does not dump the payload");
  }
}
