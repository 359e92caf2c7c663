package io.raida.protocol.transport;

import io.raida.protocol.RaidaException;

/** The request could not be delivered or its reply not read (refused, reset, closed early). */
public class RaidaTransportException extends RaidaException {
    private static final long serialVersionUID = 1L;

    public RaidaTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    public RaidaTransportException(String message) {
        super(message);
    }
}
