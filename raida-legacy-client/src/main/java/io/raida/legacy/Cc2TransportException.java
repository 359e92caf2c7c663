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

    private final Phase phase;
    private final String errno;

    Cc2TransportException(String message, Throwable cause, Path socketPath, Phase phase, String errno) {
        super(message, cause, StatusCode.ERROR_LEGACY_DB, socketPath);
        this.phase = phase;
        this.errno = errno;
    }

    public Phase phase() {
        return phase;
    }

    /**
     * errno-style cause, e.g. {@code "ENOENT (No such file or directory)"}, {@code "ETIMEDOUT"}, or
     * {@code "EOF"} when the back end closed the connection early.
     */
    public String errno() {
        return errno;
    }
}
