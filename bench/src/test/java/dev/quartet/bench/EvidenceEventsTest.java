package dev.quartet.bench;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvidenceEventsTest {
  @Test
  void encodesToExactlyTheRequestedSizeForEveryEvent() throws Exception {
    for (int size : new int[] {512, 1024, 4000, 65536}) {
      EvidenceEvents events = EvidenceEvents.ofEncodedSize(size);
      for (long i : new long[] {0, 1, 999, 1023, 123_456_789}) {
        EvidenceEvent event = events.next(i);
        byte[] bytes = events.encode(event);
        assertEquals(size, bytes.length, "size of event " + i);
        assertEquals(event, EventCodec.standard().decode(bytes, EvidenceEvent.class), "round trip of event " + i);
      }
    }
  }

  @Test
  void refusesASizeBelowTheSmallestEventNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvidenceEvents.ofEncodedSize(64));
    assertTrue(e.getMessage().contains("below the smallest typical EvidenceEvent"), e.getMessage());
  }
}
