package io.raida.protocol.cluster;

import io.raida.protocol.Transport;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.ResponseVerificationException;
import io.raida.protocol.transport.RaidaTimeoutException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How a failed attempt at one RAIDA is named in its {@link RaidaOutcome}: the fan-out and the fix
 * classify the transport's exceptions the same way, so a POWN letter means the same whichever
 * command produced it.
 */
final class AttemptErrors {
    private AttemptErrors() {
    }

    /**
     * @param e an exception from a future
     * @return the cause under any {@link CompletionException} / {@link ExecutionException} wrapping
     */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * Whether the peer refused the connection or datagram: transports report it as a
     * {@link ConnectException}, a {@link PortUnreachableException} or only in the message.
     *
     * @param e the exception, unwrapped
     * @return whether it or a cause says "refused"
     */
    static boolean isRefused(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof PortUnreachableException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("refused")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /**
     * @param e the exception of an attempt, unwrapped
     * @return CANCELLED, TIMEOUT, REFUSED, VERIFICATION_FAILED (a reply that failed its MAC or
     *         could not be parsed) or ERROR
     */
    static RaidaOutcome.Kind kindOf(Throwable e) {
        if (e instanceof CancellationException) {
            return RaidaOutcome.Kind.CANCELLED;
        }
        if (e instanceof RaidaTimeoutException) {
            return RaidaOutcome.Kind.TIMEOUT;
        }
        if (isRefused(e)) {
            return RaidaOutcome.Kind.REFUSED;
        }
        if (e instanceof ResponseVerificationException || e instanceof MalformedResponseException) {
            return RaidaOutcome.Kind.VERIFICATION_FAILED;
        }
        return RaidaOutcome.Kind.ERROR;
    }

    /**
     * The detail of a failed attempt's outcome, for the person reading it.
     *
     * @param kind   {@link #kindOf} of {@code e}
     * @param e      the exception, unwrapped
     * @param t      the transport of the attempt
     * @param waited the attempt's timeout
     * @return e.g. "no reply over UDP within 500 ms", "TCP refused", or the exception's message
     */
    static String detail(RaidaOutcome.Kind kind, Throwable e, Transport t, Duration waited) {
        return switch (kind) {
            case TIMEOUT -> "no reply over " + t + " within " + waited.toMillis() + " ms";
            case REFUSED -> t + " refused";
            case VERIFICATION_FAILED -> e.getMessage();
            default -> String.valueOf(e.getMessage());
        };
    }
}
