package dev.quartet.contracts.trust;

import java.util.Arrays;
import java.util.Base64;

/** One DSSE signature: the signer's key id ("" when the producer left it out) and the signature bytes over the PAE. */
public record DsseSignature(String keyid, byte[] sig) {
  /** @throws IllegalArgumentException if {@code sig} is missing or empty */
  public DsseSignature {
    keyid = keyid == null ? "" : keyid;
    if (sig == null || sig.length == 0) {
      throw new IllegalArgumentException("DsseSignature: sig must not be empty");
    }
    sig = sig.clone();
  }

  /** A copy of the signature bytes. */
  @Override
  public byte[] sig() {
    return sig.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseSignature other && keyid.equals(other.keyid) && Arrays.equals(sig, other.sig);
  }

  @Override
  public int hashCode() {
    return 31 * keyid.hashCode() + Arrays.hashCode(sig);
  }

  @Override
  public String toString() {
    return "DsseSignature[keyid=" + keyid + ", sig=" + Base64.getEncoder().encodeToString(sig) + "]";
  }
}
