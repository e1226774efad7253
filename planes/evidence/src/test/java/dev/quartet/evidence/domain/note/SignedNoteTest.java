package dev.quartet.evidence.domain.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** C2SP signed-note rules beyond the published vectors: syntax limits and which signatures count. */
class SignedNoteTest {
  private static final NoteSigner ALICE = NoteSigner.of("example.com/alice", seed(1));
  private static final NoteSigner BOB = NoteSigner.of("example.com/bob", seed(2));
  private static final String TEXT = "example.com/log\n3\nYmFuYW5hcw==\n";

  @Test
  void formatThenParseRoundTripsIncludingBlankLinesInTheText() {
    for (String text : List.of(TEXT, "a\n\nb\n", "trailing blank\n\n", "\n", "— looks like a signature line\n")) {
      SignedNote note = new SignedNote(text, List.of(ALICE.sign(text), BOB.sign(text)));
      assertEquals(note, SignedNote.parse(note.toBytes()), "round trip of " + text.replace("\n", "\\n"));
    }
  }

  @Test
  void rejectsTextWithoutFinalNewlineOrWithControlCharacters() {
    NoteSignature sig = ALICE.sign(TEXT);
    assertThrows(MalformedNoteException.class, () -> new SignedNote("no newline", List.of(sig)));
    assertThrows(MalformedNoteException.class, () -> new SignedNote("", List.of(sig)));
    assertThrows(MalformedNoteException.class, () -> new SignedNote("tab\there\n", List.of(sig)));
    assertThrows(MalformedNoteException.class, () -> SignedNote.parse("crlf\r\n\n" + sig.line()));
    assertThrows(MalformedNoteException.class, () -> SignedNote.parse("bad \uD800 surrogate\n\n" + sig.line()));
    assertThrows(MalformedNoteException.class, () -> ALICE.sign("no newline"));
    assertEquals("del \u007F is not a control character here\n",
        SignedNote.parse("del \u007F is not a control character here\n\n" + sig.line()).text(), "C2SP bans only characters below U+0020");
  }

  @Test
  void rejectsMalformedSignatureLines() {
    String good = ALICE.sign(TEXT).line();
    List<String> bad = List.of(
        good.replace("\u2014 ", "- "),                 // ASCII hyphen instead of em dash
        good.replace("\u2014 ", "\u2014"),             // no space after the dash
        good.replace(" ", "  "),                       // two spaces
        good.replace("example.com/alice", "a+b"),      // plus in the key name
        good.replace("example.com/alice", "a\u00A0b"), // no-break space in the key name
        "\u2014 example.com/alice AAAAAA==\n",         // 4 bytes: a key ID and no signature
        "\u2014 example.com/alice\n",                  // no signature at all
        good.substring(0, good.length() - 2) + "\n");  // base64 cut short
    for (String line : bad) {
      assertThrows(MalformedNoteException.class, () -> SignedNote.parse(TEXT + "\n" + line), line);
    }
  }

  @Test
  void acceptsOneHundredSignaturesAndRejectsMore() {
    NoteSignature sig = ALICE.sign(TEXT);
    String hundred = TEXT + "\n" + String.join("", Collections.nCopies(SignedNote.MAX_SIGNATURES, sig.line()));
    assertEquals(100, SignedNote.parse(hundred).signatures().size());
    MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> SignedNote.parse(hundred + sig.line()));
    assertTrue(e.getMessage().contains("more than 100"), e.getMessage());
    assertThrows(MalformedNoteException.class, () -> new SignedNote(TEXT, Collections.nCopies(101, sig)));
    assertThrows(MalformedNoteException.class, () -> new SignedNote(TEXT, List.of()));
  }

  @Test
  void rejectsOversizedSignaturesAndNotes() {
    assertThrows(MalformedNoteException.class, () -> new NoteSignature("k", 1, new byte[NoteSignature.MAX_SIGNATURE_BYTES + 1]));
    assertThrows(MalformedNoteException.class, () -> new NoteSignature("k", 1, new byte[0]));
    byte[] huge = new byte[SignedNote.MAX_NOTE_BYTES + 1];
    Arrays.fill(huge, (byte) 'a');
    MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> SignedNote.parse(huge));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void ignoresUnknownKeysEvenWhenTheyShareANameOrAnIdWithAKnownKey() {
    NoteSignature good = ALICE.sign(TEXT);
    NoteSignature sameNameOtherId = new NoteSignature(ALICE.name(), ALICE.keyId() + 1, new byte[64]);
    NoteSignature sameIdOtherName = new NoteSignature("example.com/mallory", ALICE.keyId(), new byte[64]);
    SignedNote note = new SignedNote(TEXT, List.of(sameNameOtherId, good, sameIdOtherName));
    NoteVerification.Verified ok = assertInstanceOf(NoteVerification.Verified.class,
        NoteVerifiers.of(List.of(ALICE.verifier())).verify(note));
    assertEquals(List.of(good), ok.verified());
    assertEquals(List.of(sameNameOtherId, sameIdOtherName), ok.unverified());
  }

  @Test
  void failsWhenAKnownKeysSignatureIsBadEvenAfterAGoodOne() {
    NoteSignature good = ALICE.sign(TEXT);
    byte[] forged = good.signature();
    forged[10] ^= 1;
    SignedNote note = new SignedNote(TEXT, List.of(good, new NoteSignature(ALICE.name(), ALICE.keyId(), forged)));
    NoteVerification.Failed f = assertInstanceOf(NoteVerification.Failed.class, NoteVerifiers.of(List.of(ALICE.verifier())).verify(note));
    assertEquals("signature[1]", f.step(), f.reason());
  }

  @Test
  void failsWhenOnlyUnknownKeysSigned() {
    SignedNote note = new SignedNote(TEXT, List.of(BOB.sign(TEXT)));
    NoteVerification.Failed f = assertInstanceOf(NoteVerification.Failed.class, NoteVerifiers.of(List.of(ALICE.verifier())).verify(note));
    assertEquals("signatures", f.step());
    assertTrue(f.reason().contains("example.com/bob+"), "reason names the unknown signer: " + f.reason());
    assertInstanceOf(NoteVerification.Failed.class, NoteVerifiers.of(List.of()).verify(note), "trusting nobody verifies nothing");
  }

  @Test
  void signatureOverAlteredTextFails() {
    NoteSignature sig = ALICE.sign(TEXT);
    SignedNote altered = new SignedNote(TEXT.replace("\n3\n", "\n4\n"), List.of(sig));
    assertInstanceOf(NoteVerification.Failed.class, NoteVerifiers.of(List.of(ALICE.verifier())).verify(altered));
  }

  @Test
  void malformedBytesAreAFailedValueNotAnException() {
    byte[] bytes = (TEXT + "no signature block").getBytes(StandardCharsets.UTF_8);
    NoteVerification.Failed f = assertInstanceOf(NoteVerification.Failed.class, NoteVerifiers.of(List.of(ALICE.verifier())).verify(bytes));
    assertEquals("parse", f.step());
  }

  @Test
  void everySingleBitFlipOfASignedNoteFailsVerification() {
    byte[] note = new SignedNote(TEXT, List.of(ALICE.sign(TEXT))).toBytes();
    NoteVerifiers trusted = NoteVerifiers.of(List.of(ALICE.verifier()));
    List<String> verified = new ArrayList<>();
    for (int bit = 0; bit < note.length * 8; bit++) {
      byte[] bad = note.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      if (trusted.verify(bad).isVerified()) {
        verified.add("bit " + bit);
      }
    }
    assertEquals(List.of(), verified, "bit flips that still verified");
  }

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }
}
