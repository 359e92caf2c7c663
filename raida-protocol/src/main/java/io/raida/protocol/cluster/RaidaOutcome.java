package io.raida.protocol.cluster;

import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.Objects;

/**
 * What one RAIDA did in a fan-out.
 *
 * @param raidaId   0..24
 * @param kind      replied with a status, or how it failed
 * @param response  the verified, decrypted reply when {@code kind} is {@link Kind#STATUS}, else {@code null}
 * @param transport transport of the last attempt, {@code null} if nothing was sent
 * @param attempts  requests sent to this RAIDA (calibration requests not counted)
 * @param latency   from the start of the fan-out to this outcome
 * @param detail    a short human-readable reason for failures (never key material), empty for replies
 */
public record RaidaOutcome(int raidaId, Kind kind, RaidaResponse response, Transport transport, int attempts,
                           Duration latency, String detail) {

    /** How a RAIDA's part of a fan-out ended. */
    public enum Kind {
        /** It answered with a status (any status, including errors). */
        STATUS,
        /** No reply within the attempt timeouts or the deadline. */
        TIMEOUT,
        /** The connection (or datagram) was refused: nothing listens there. */
        REFUSED,
        /** A reply came but did not verify, decrypt or make sense for the request. */
        VERIFICATION_FAILED,
        /** Another network or client error. */
        ERROR,
        /** Stopped before it ended: the fan-out was decided early or cancelled. */
        CANCELLED,
        /** Still running when an early reply was made (straggler left to finish). */
        PENDING
    }

    /**
     * Validates.
     *
     * @param raidaId 0..24
     * @param kind replied with a status, or how it failed
     * @param response the verified, decrypted reply when {@code kind} is {@link Kind#STATUS}, else {@code null}
     * @param transport transport of the last attempt, {@code null} if nothing was sent
     * @param attempts requests sent to this RAIDA (calibration requests not counted)
     * @param latency from the start of the fan-out to this outcome
     * @param detail a short human-readable reason for failures (never key material), empty for replies
     */
    public RaidaOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(latency, "latency");
        detail = detail == null ? "" : detail;
        if ((kind == Kind.STATUS) != (response != null)) {
            throw new IllegalArgumentException("a response goes with kind STATUS and only with it");
        }
    }

    /**
     * True when the RAIDA answered with a status.
     *
     * @return {@code true} for {@link Kind#STATUS}
     */
    public boolean replied() {
        return kind == Kind.STATUS;
    }

    /**
     * The status byte, or −1 when it did not reply.
     *
     * @return the status, or -1
     */
    public int status() {
        return response == null ? -1 : response.status();
    }

    /**
     * True for a reply with status 250.
     *
     * @return {@code true} for 250
     */
    public boolean isSuccess() {
        return response != null && response.isSuccess();
    }

    /**
     * The POWN letter of a failure: {@code n} no reply, {@code b} broken reply; {@code 0} for a status.
     *
     * @return {@code n}, {@code b} or {@code 0}
     */
    public char failureLetter() {
        switch (kind) {
            case STATUS:
                return 0;
            case VERIFICATION_FAILED:
                return 'b';
            default:
                return 'n';
        }
    }

    @Override
    public String toString() {
        return "RAIDA " + raidaId + ": " + (replied() ? StatusCode.describe(status()) : kind
                + (detail.isEmpty() ? "" : " (" + detail + ")")) + (transport == null ? "" : " via " + transport)
                + ", " + attempts + " attempt(s), " + latency.toMillis() + " ms";
    }
}
