package io.raida.protocol.transport;

import io.raida.protocol.RaidaException;

/** The request could not be delivered or its reply not read (refused, reset, closed early). */
public class RaidaTransportException extends RaidaException {
    private static final long serialVersionUID = 1L;

    /**
     * A network failure caused by another exception.
     *
     * @param message what failed, and where
     * @param cause the underlying exception
     */
    public RaidaTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A network failure.
     *
     * @param message what failed, and where
     */
    public RaidaTransportException(String message) {
        super(message);
    }
}
