package dev.quartet.evidence.domain.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The lexical rules C2SP signed-note and tlog-checkpoint share: UTF-8, control characters, key names, base64. */
final class NoteSyntax {
  private NoteSyntax() {}

  /** Strict UTF-8: malformed or unmappable input (including encoded surrogates) is an error, never replaced. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedNoteException("not valid UTF-8: " + e.getMessage());
    }
  }

  /**
   * C2SP signed-note "Format": valid UTF-8 and no ASCII control characters (below U+0020)
   * other than newline. A Java string can hold an unpaired surrogate, which has no UTF-8 form.
   */
  static void requireNoteCharacters(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new MalformedNoteException(what + ": control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) {
          throw new MalformedNoteException(what + ": unpaired surrogate at " + i + " (not valid UTF-8)");
        }
        i++;
      }
    }
  }

  /** C2SP signed-note: key names are non-empty and contain no Unicode spaces and no plus (U+002B). */
  static String requireKeyName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new MalformedNoteException(what + ": key name is empty");
    }
    requireNoteCharacters(name, what);
    int bad = name.codePoints().filter(cp -> cp == '+' || isUnicodeSpace(cp)).findFirst().orElse(-1);
    if (bad >= 0) {
      throw new MalformedNoteException(what + ": key name contains " + (bad == '+' ? "'+'" : "space U+" + String.format("%04X", bad)));
    }
    return name;
  }

  // Go's unicode.IsSpace, which golang.org/x/mod/sumdb/note applies: Zs/Zl/Zp, the ASCII
  // whitespace controls, and U+0085 (Java's isSpaceChar and isWhitespace each miss some).
  private static boolean isUnicodeSpace(int cp) {
    return Character.isSpaceChar(cp) || Character.isWhitespace(cp) || cp == 0x85;
  }

  /**
   * RFC 4648 §4 standard base64 with padding, canonical only: decoding then re-encoding must
   * give the input back, which rejects missing padding and non-zero padding bits (both of which
   * the JDK decoder accepts) so one value has one encoding.
   */
  static byte[] base64(String s, String what) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedNoteException(what + ": not base64 (" + e.getMessage() + ")");
    }
    if (!Base64.getEncoder().encodeToString(decoded).equals(s)) {
      throw new MalformedNoteException(what + ": not canonical padded base64");
    }
    return decoded;
  }
}
