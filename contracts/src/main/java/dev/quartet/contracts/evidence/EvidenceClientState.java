package dev.quartet.contracts.evidence;

/** Where an {@link EvidenceClient}'s events go now. */
public enum EvidenceClientState {
  /** Straight to the evidence topic. */
  DIRECT,
  /** The topic is not writable: best-effort events go to the encrypted local buffer, required ones fail. */
  BUFFERING,
  /** The topic is writable again: the gap is being recorded and the buffer written out, in order. */
  FLUSHING
}
