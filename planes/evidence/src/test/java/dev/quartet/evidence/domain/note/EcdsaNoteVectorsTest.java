package dev.quartet.evidence.domain.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.evidence.domain.SharedVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vectors/note/ecdsa_note_vectors_optional.json: signature type 0x02 (ECDSA P-256). Quartet
 * signs and verifies Ed25519 (0x01) only, as C2SP signed-note advises ("select only the one(s)
 * required"), so these vectors are skipped; what is checked is that the notes still parse and
 * that an ECDSA verifier key is refused with a clear reason instead of being misread.
 */
class EcdsaNoteVectorsTest {
  private static final JsonNode FILE = SharedVectors.json("note/ecdsa_note_vectors_optional.json");

  @Test
  void ecdsaVectorsAreSkippedBecauseOnlyEd25519IsSupported() {
    List<String> skipped = new ArrayList<>();
    for (JsonNode v : FILE.get("vectors")) {
      SignedNote.parse(v.get("note").asText());
      String vkey = v.get("verifier_key").asText();
      MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> NoteVerifier.parse(vkey), v.get("id").asText());
      assertTrue(e.getMessage().contains("0x02") && e.getMessage().contains("not Ed25519"),
          v.get("id") + ": expected an unsupported-type reason, got: " + e.getMessage());
      skipped.add(v.get("id").asText() + " (" + v.get("expected").asText() + ")");
    }
    int invalidKeys = 0;
    for (JsonNode k : FILE.get("invalid_verifier_keys")) {
      assertThrows(MalformedNoteException.class, () -> NoteVerifier.parse(k.get("verifier_key").asText()), k.get("expected").asText());
      invalidKeys++;
    }
    assertEquals(4, skipped.size(), "ECDSA note vectors");
    assertEquals(5, invalidKeys, "invalid ECDSA verifier keys, all refused");
    abort("skipped " + skipped.size() + " ECDSA (signature type 0x02) note vectors " + skipped
        + ": Quartet supports Ed25519 note signatures only; their notes parse and their keys are refused as non-Ed25519");
  }
}
