package dev.quartet.evidence.domain.note;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note (c2sp.org/signed-note): text ending in a newline, a blank line, then one
 * or more signature lines. Parsing checks syntax only; {@link NoteVerifiers#verify} checks
 * signatures. The text is meaningless until a trusted signature over it has been verified.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** golang.org/x/mod/sumdb/note refuses more than 100 signature lines; C2SP requires accepting at least 16. */
  public static final int MAX_SIGNATURES = 100;
  /** Bound on a whole note read from untrusted input: 100 post-quantum signatures fit with room to spare. */
  public static final int MAX_NOTE_BYTES = 1 << 20;
  private static final String SEPARATOR = "\n\n";

  /** @throws MalformedNoteException for text that is empty, lacks its final newline or holds control characters, or a signature count outside 1..100 */
  public SignedNote {
    requireText(text);
    Objects.requireNonNull(signatures, "signatures");
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw new MalformedNoteException("note: " + signatures.size() + " signatures, expected 1 to " + MAX_SIGNATURES);
    }
    signatures = List.copyOf(signatures);
  }

  /**
   * Parses note bytes strictly.
   *
   * @throws MalformedNoteException when the bytes are not a well-formed signed note
   */
  public static SignedNote parse(byte[] note) {
    Objects.requireNonNull(note, "note");
    if (note.length > MAX_NOTE_BYTES) {
      throw new MalformedNoteException("note: " + note.length + " bytes, limit " + MAX_NOTE_BYTES);
    }
    return parse(NoteSyntax.utf8(note));
  }

  /**
   * Parses a note held as a string (rejects unpaired surrogates, which have no UTF-8 form).
   *
   * @throws MalformedNoteException when the string is not a well-formed signed note
   */
  public static SignedNote parse(String note) {
    Objects.requireNonNull(note, "note");
    if (note.length() > MAX_NOTE_BYTES) {
      throw new MalformedNoteException("note: " + note.length() + " characters, limit " + MAX_NOTE_BYTES + " bytes");
    }
    NoteSyntax.requireNoteCharacters(note, "note");
    // C2SP signed-note "Format": the text may hold blank lines itself; the LAST blank line
    // separates it from the signatures, and the text keeps its final newline.
    int split = note.lastIndexOf(SEPARATOR);
    if (split < 0) {
      throw new MalformedNoteException("note: no blank line before the signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + SEPARATOR.length());
    if (block.isEmpty()) {
      throw new MalformedNoteException("note: no signature lines after the blank line");
    }
    if (!block.endsWith("\n")) {
      throw new MalformedNoteException("note: last signature line does not end with a newline");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    int start = 0;
    while (start < block.length()) {
      if (signatures.size() == MAX_SIGNATURES) {
        // Bound the work an untrusted note can cause before looking at any more lines.
        throw new MalformedNoteException("note: more than " + MAX_SIGNATURES + " signature lines");
      }
      int end = block.indexOf('\n', start);
      signatures.add(NoteSignature.parseLine(block.substring(start, end), "signature line " + (signatures.size() + 1)));
      start = end + 1;
    }
    return new SignedNote(text, signatures);
  }

  /** The note as text: the text, a blank line, then each signature line. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      out.append(s.line());
    }
    return out.toString();
  }

  /** {@link #format()} as UTF-8 bytes. */
  public byte[] toBytes() {
    return format().getBytes(StandardCharsets.UTF_8);
  }

  /** The exact bytes every signature covers: the text, final newline included, blank line excluded. */
  public byte[] signedBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The note-text rules: non-empty, ends with a newline, valid UTF-8, no control characters but newline. */
  static String requireText(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new MalformedNoteException("note text must be non-empty and end with a newline");
    }
    NoteSyntax.requireNoteCharacters(text, "note text");
    return text;
  }
}
