package dev.quartet.contracts.evidence;

import java.util.List;

/** Where an emitter hands the openings of an event's redacted attributes: the evidence plane, never the log. */
@FunctionalInterface
public interface OpeningDeposit {
  /**
   * Deposits {@code openings} of event {@code eventId}; depositing the same openings again is harmless.
   *
   * @throws OpeningDepositException when they were not kept (says whether a later attempt may succeed)
   * @throws InterruptedException when interrupted while waiting for the answer
   */
  void deposit(String eventId, List<Redaction.Opening> openings) throws OpeningDepositException, InterruptedException;
}
