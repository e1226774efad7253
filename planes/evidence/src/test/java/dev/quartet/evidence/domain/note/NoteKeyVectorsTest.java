package dev.quartet.evidence.domain.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.evidence.domain.SharedVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vectors/note/note_keys.json: vkey and skey strings (golang.org/x/mod/sumdb/note, transparency-dev/formats, C2SP). */
class NoteKeyVectorsTest {
  private static final JsonNode KEYS = SharedVectors.json("note/note_keys.json");
  private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

  @Test
  void parsesEveryValidVerifierKeyAndFormatsItBack() {
    int checked = 0;
    for (JsonNode k : KEYS.get("valid_keys")) {
      String vkey = k.get("verifier_key").asText();
      NoteVerifier v = NoteVerifier.parse(vkey);
      assertEquals(k.get("name").asText(), v.name(), vkey);
      assertEquals(vkey, v.vkey(), "formats back to the same string");
      assertEquals(vkey.split("\\+")[1], String.format("%08x", NoteVerifier.keyId(v.name(), v.publicKey())), "derived key ID");
      checked++;
    }
    assertEquals(11, checked, "valid verifier keys");
  }

  @Test
  void derivesEachVerifierKeyFromItsSignerKey() {
    int checked = 0;
    for (JsonNode k : KEYS.get("valid_keys")) {
      if (k.get("signer_key").isNull()) {
        continue;
      }
      NoteSigner signer = NoteSigner.parse(k.get("signer_key").asText());
      assertEquals(k.get("verifier_key").asText(), signer.verifier().vkey(), "vkey derived from " + k.get("name"));
      assertEquals(k.get("signer_key").asText(), signer.skey(), "skey formats back");
      assertEquals("NoteSigner[" + k.get("name").asText() + "+" + k.get("verifier_key").asText().split("\\+")[1] + "]",
          signer.toString(), "toString shows no secret");
      checked++;
    }
    assertEquals(7, checked, "valid signer keys");
  }

  @Test
  void rejectsEveryInvalidKey() {
    int checked = 0;
    for (JsonNode k : KEYS.get("invalid_keys")) {
      String key = k.get("verifier_key").asText();
      if (k.path("used_as").asText().equals("signer key")) {
        assertThrows(MalformedNoteException.class, () -> NoteSigner.parse(key), k.get("expected").asText());
      } else {
        assertThrows(MalformedNoteException.class, () -> NoteVerifier.parse(key), k.get("expected").asText());
      }
      checked++;
    }
    assertEquals(3, checked, "invalid keys");
  }

  @Test
  void rejectsEveryProperSubstringAndEveryPlusOneMutationOfTheVerifierKey() {
    List<String> accepted = new ArrayList<>();
    for (String mangled : mangled(PETER_VKEY)) {
      try {
        NoteVerifier.parse(mangled);
        accepted.add(mangled);
      } catch (MalformedNoteException expected) {
        // rejected, as it must be
      }
    }
    assertEquals(List.of(), accepted, "mangled vkeys that parsed");
  }

  @Test
  void rejectsEveryProperSubstringAndEveryPlusOneMutationOfTheSignerKey() {
    List<String> accepted = new ArrayList<>();
    for (String mangled : mangled(PETER_SKEY)) {
      try {
        NoteSigner.parse(mangled);
        accepted.add(mangled);
      } catch (MalformedNoteException expected) {
        // rejected, as it must be
      } catch (IllegalArgumentException other) {
        fail("mangled skey " + mangled + " threw " + other + " instead of MalformedNoteException");
      }
    }
    assertEquals(List.of(), accepted, "mangled skeys that parsed");
  }

  @Test
  void rejectsUppercaseHexKeyId() {
    // The vkey format writes key IDs in lowercase; one spelling per key keeps trust lists comparable.
    assertThrows(MalformedNoteException.class, () -> NoteVerifier.parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  }

  @Test
  void rejectsSmallOrderPublicKey() {
    byte[] identity = new byte[32];
    identity[0] = 1; // the neutral point: every signature would be forgeable
    MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> NoteVerifier.of("weak", identity));
    assertTrue(e.getMessage().contains("prime order"), e.getMessage());
  }

  /** golang.org/x/mod/sumdb/note TestNewVerifier: every proper substring, and every string with one byte incremented. */
  private static List<String> mangled(String key) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i <= key.length(); i++) {
      for (int j = i; j <= key.length(); j++) {
        if (i != 0 || j != key.length()) {
          out.add(key.substring(i, j));
        }
      }
    }
    for (int i = 0; i < key.length(); i++) {
      char[] c = key.toCharArray();
      c[i]++;
      out.add(new String(c));
    }
    return out;
  }
}
