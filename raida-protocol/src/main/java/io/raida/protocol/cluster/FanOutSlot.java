package io.raida.protocol.cluster;

import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * One RAIDA's place in a {@link FanOut}: its attempts, what is in flight, and how it ended.
 * Guarded by the fan-out's lock: every read and write of a field happens while holding it.
 */
final class FanOutSlot {
    final int id;
    int attempts;
    Transport transport;
    Duration timeout;
    /** This RAIDA's attempts go over TCP from now on (UDP timed out or was refused). */
    boolean tcp;
    Future<?> current;
    RaidaOutcome outcome;
    boolean stopped;
    /** Set with {@link #stopped}: how the stop ends the slot, for a reply made before it finished. */
    RaidaOutcome.Kind stopKind;
    String stopDetail;

    /**
     * @param id the RAIDA, 0..24
     */
    FanOutSlot(int id) {
        this.id = id;
    }

    /**
     * @return whether the slot needs nothing more: it has its outcome, or is being stopped
     */
    boolean ended() {
        return outcome != null || stopped;
    }

    /**
     * @param kind    why the slot failed
     * @param detail  for the person reading the outcome
     * @param elapsed since the fan-out started
     * @return the failed outcome, with the transport and attempts so far
     */
    RaidaOutcome failure(RaidaOutcome.Kind kind, String detail, Duration elapsed) {
        return new RaidaOutcome(id, kind, null, transport, attempts, elapsed, detail);
    }

    /**
     * The slot's outcome for a reply made now: its own, or, while another thread is stopping it,
     * what that stop says (not "pending"), else PENDING.
     *
     * @param elapsed since the fan-out started
     * @return the outcome to report
     */
    RaidaOutcome outcomeNow(Duration elapsed) {
        if (outcome != null) {
            return outcome;
        }
        return stopped ? failure(stopKind, stopDetail, elapsed)
                : failure(RaidaOutcome.Kind.PENDING, "still running when the result was decided", elapsed);
    }
}
