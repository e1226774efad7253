package dev.quartet.evidence.domain.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** Copying, comparing and printing the hash lists inside proof records (byte arrays are mutable and compare by identity). */
final class ProofHashes {
  private ProofHashes() {}

  static List<byte[]> copy(List<byte[]> hashes) {
    Objects.requireNonNull(hashes, "hashes");
    List<byte[]> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(Objects.requireNonNull(h, "proof hash " + out.size()).clone());
    }
    return Collections.unmodifiableList(out);
  }

  static boolean equal(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  static int hash(List<byte[]> hashes) {
    int h = 1;
    for (byte[] b : hashes) {
      h = 31 * h + Arrays.hashCode(b);
    }
    return h;
  }

  static String format(List<byte[]> hashes) {
    HexFormat hex = HexFormat.of();
    List<String> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(hex.formatHex(h));
    }
    return out.toString();
  }
}
