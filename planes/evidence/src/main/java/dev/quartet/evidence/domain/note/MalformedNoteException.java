package dev.quartet.evidence.domain.note;

/** A signed note, checkpoint body or note key string that breaks C2SP signed-note / tlog-checkpoint syntax; the message names the rule. */
public final class MalformedNoteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param reason which rule was broken and where, e.g. "signature line 2: key name contains a space" */
  public MalformedNoteException(String reason) {
    super(reason);
  }
}
