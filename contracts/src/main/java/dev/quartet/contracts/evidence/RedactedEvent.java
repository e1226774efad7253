package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;

import java.util.List;
import java.util.Objects;

/**
 * An evidence event whose sensitive attributes are commitments, and the openings behind them. The
 * event is what may be encoded and emitted; the openings go only to the evidence plane's deposit.
 *
 * @param event the committed event (same id as the event it was made from)
 * @param openings one opening per committed attribute, never empty
 */
public record RedactedEvent(EvidenceEvent event, List<Redaction.Opening> openings) {
  public RedactedEvent {
    Objects.requireNonNull(event, "RedactedEvent: event");
    openings = List.copyOf(openings);
    if (openings.isEmpty()) {
      throw new IllegalArgumentException("RedactedEvent " + event.getId() + ": no openings");
    }
  }

  /** Names the event and its committed attributes, never a value or a salt. */
  @Override
  public String toString() {
    return "RedactedEvent[" + event.getId() + " " + openings.stream().map(Redaction.Opening::attribute).toList() + "]";
  }
}
