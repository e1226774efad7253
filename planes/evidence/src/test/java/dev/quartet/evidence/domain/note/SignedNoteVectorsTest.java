package dev.quartet.evidence.domain.note;

import static dev.quartet.evidence.domain.SharedVectors.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.evidence.domain.SharedVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vectors/note/signed_note_vectors.json: C2SP examples, golang.org/x/mod/sumdb/note tests and real sum.golang.org checkpoints. */
class SignedNoteVectorsTest {
  private static final JsonNode VECTORS = SharedVectors.json("note/signed_note_vectors.json").get("vectors");

  @Test
  void everyValidVectorVerifiesWithTheExpectedSigners() {
    int checked = 0;
    for (JsonNode v : VECTORS) {
      JsonNode want = v.get("expected");
      if (!want.get("result").asText().equals("valid")) {
        continue;
      }
      String id = v.get("id").asText();
      NoteVerification result = NoteVerifiers.parse(strings(v.get("verifier_keys"))).verify(noteBytes(v));
      NoteVerification.Verified ok = assertInstanceOf(NoteVerification.Verified.class, result, id + ": expected Verified, got " + result);
      assertEquals(strings(want.get("verified_signers")), names(ok.verified()), id + ": verified signers");
      if (want.has("unverified_signers")) {
        assertEquals(strings(want.get("unverified_signers")), names(ok.unverified()), id + ": unverified signers");
      }
      if (want.has("unverified_signatures_count")) {
        assertEquals(want.get("unverified_signatures_count").asInt(), ok.unverified().size(), id + ": distinct unverified signatures");
      }
      if (want.has("text")) {
        assertEquals(want.get("text").asText(), ok.note().text(), id + ": note text");
      }
      checkCheckpoint(id, want, ok.note());
      assertEquals(v.get("note").asText(), ok.note().format(), id + ": formats back byte for byte");
      checked++;
    }
    assertEquals(10, checked, "valid vectors");
  }

  @Test
  void everyErrorVectorFailsAtTheExpectedStep() {
    int checked = 0;
    for (JsonNode v : VECTORS) {
      JsonNode want = v.get("expected");
      if (!want.get("result").asText().equals("error")) {
        continue;
      }
      String id = v.get("id").asText();
      String error = want.get("error").asText();
      NoteVerification result = NoteVerifiers.parse(strings(v.get("verifier_keys"))).verify(noteBytes(v));
      NoteVerification.Failed f = assertInstanceOf(NoteVerification.Failed.class, result, id + ": expected Failed (" + error + "), got " + result);
      assertEquals(expectedStep(error), f.step().replaceAll("\\[\\d+]", "[i]"), id + ": step, reason was " + f.reason());
      checked++;
    }
    assertEquals(12, checked, "error vectors");
  }

  @Test
  void parseOnlyVectorsSplitTextAndSignaturesAsPublished() {
    int checked = 0;
    for (JsonNode v : VECTORS) {
      JsonNode want = v.get("expected");
      if (!want.get("result").asText().startsWith("parse-only")) {
        continue;
      }
      String id = v.get("id").asText();
      SignedNote note = SignedNote.parse(noteBytes(v));
      assertEquals(1, note.signatures().size(), id + ": signature lines");
      if (want.has("text")) {
        assertEquals(want.get("text").asText(), note.text(), id + ": text before the LAST blank line");
      }
      checkCheckpoint(id, want, note);
      assertEquals(v.get("note").asText(), note.format(), id + ": formats back byte for byte");
      checked++;
    }
    assertEquals(2, checked, "parse-only vectors");
    SignedNote quasimodo = SignedNote.parse(VECTORS.get(1).get("note").asText());
    assertEquals("quasimodo.example/salvatore", quasimodo.signatures().get(0).keyName());
    assertEquals("367ba04b", quasimodo.signatures().get(0).keyIdHex());
  }

  @Test
  void signingWithThePublishedSignerKeysReproducesTheNotesByteForByte() {
    int checked = 0;
    for (JsonNode v : VECTORS) {
      if (!v.has("signer_key")) {
        continue;
      }
      String id = v.get("id").asText();
      NoteSigner signer = NoteSigner.parse(v.get("signer_key").asText());
      SignedNote published = SignedNote.parse(v.get("note").asText());
      SignedNote mine = new SignedNote(published.text(), List.of(signer.sign(published.text())));
      assertEquals(v.get("note").asText(), mine.format(), id + ": Ed25519 is deterministic");
      checked++;
    }
    assertEquals(3, checked, "vectors with a signer key");
  }

  private static void checkCheckpoint(String id, JsonNode want, SignedNote note) {
    if (!want.has("checkpoint")) {
      return;
    }
    JsonNode c = want.get("checkpoint");
    Checkpoint parsed = Checkpoint.parseFor(c.get("origin").asText(), note.text());
    assertEquals(c.get("tree_size").asLong(), parsed.treeSize(), id + ": tree size");
    assertEquals(c.get("root_hash_base64").asText(), Base64.getEncoder().encodeToString(parsed.rootHash()), id + ": root hash");
  }

  private static String expectedStep(String error) {
    if (error.startsWith("malformed")) {
      return "parse";
    }
    if (error.startsWith("ambiguous")) {
      return "key";
    }
    if (error.startsWith("invalid signature")) {
      return "signature[i]";
    }
    if (error.startsWith("note has no verifiable signatures")) {
      return "signatures";
    }
    throw new AssertionError("unmapped expected error: " + error);
  }

  private static byte[] noteBytes(JsonNode v) {
    return v.has("note_hex") ? HexFormat.of().parseHex(v.get("note_hex").asText()) : v.get("note").asText().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> names(List<NoteSignature> signatures) {
    return signatures.stream().map(NoteSignature::keyName).toList();
  }

  @Test
  void vectorIdsAreUnique() {
    List<String> ids = new ArrayList<>();
    VECTORS.forEach(v -> ids.add(v.get("id").asText()));
    assertEquals(ids.size(), ids.stream().distinct().count(), "distinct vector ids in " + ids);
    assertEquals(24, ids.size(), "vectors in the file (10 valid, 12 error, 2 parse-only)");
  }
}
