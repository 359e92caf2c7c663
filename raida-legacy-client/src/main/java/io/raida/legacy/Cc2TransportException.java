package io.raida.legacy;

import io.raida.protocol.StatusCode;
import java.nio.file.Path;

/**
 * The CC2 back end could not be reached or the connection broke: no socket file, nobody listening,
 * write failure, or the back end closed before the reply was complete. RAIDA X status 48.
 */
public class Cc2TransportException extends Cc2Exception {
    private static final long serialVersionUID = 1L;

    /** Where in the exchange the failure happened. */
    public enum Phase {
        /** Creating the socket or connecting to the path. */
        CONNECT,
        /** Sending the request. */
        WRITE,
        /** Receiving the reply. */
        READ
    }

    /** The step of the call that failed; serialized with the exception. */
    private final Phase phase;
    /** The errno-style cause; serialized with the exception. */
    private final String errno;

    Cc2TransportException(String message, Throwable cause, Path socketPath, Phase phase, String errno) {
        super(message, cause, StatusCode.ERROR_LEGACY_DB, socketPath);
        this.phase = phase;
        this.errno = errno;
    }

    /**
     * The step of the call that failed: connecting, writing the request or reading the reply.
     *
     * @return the failed phase, never {@code null}
     */
    public Phase phase() {
        return phase;
    }

    /**
     * errno-style cause, e.g. {@code "ENOENT (No such file or directory)"}, {@code "ETIMEDOUT"}, or
     * {@code "EOF"} when the back end closed the connection early.
     *
     * @return the errno name with its text, never {@code null}
     */
    public String errno() {
        return errno;
    }
}
