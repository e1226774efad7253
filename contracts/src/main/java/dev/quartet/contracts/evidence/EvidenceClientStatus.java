package dev.quartet.contracts.evidence;

/**
 * A snapshot of an {@link EvidenceClient} for health and metrics.
 *
 * @param state where events go now
 * @param bufferedEvents events held in the local buffer
 * @param bufferedBytes bytes the buffer holds on disk
 * @param droppedEvents events dropped since start because the buffer was full or unusable
 * @param unreportedLost dropped events not yet stated in a written gap
 * @param gapsWritten gap events written since start
 */
public record EvidenceClientStatus(EvidenceClientState state, int bufferedEvents, long bufferedBytes,
                                   long droppedEvents, long unreportedLost, long gapsWritten) {}
