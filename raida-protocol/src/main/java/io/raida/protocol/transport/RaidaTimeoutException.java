package io.raida.protocol.transport;

import io.raida.protocol.RaidaException;

/** No (complete) reply arrived within the deadline. */
public class RaidaTimeoutException extends RaidaException {
    private static final long serialVersionUID = 1L;

    public RaidaTimeoutException(String message) {
        super(message);
    }
}
