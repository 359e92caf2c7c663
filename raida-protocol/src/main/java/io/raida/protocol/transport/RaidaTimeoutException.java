package io.raida.protocol.transport;

import io.raida.protocol.RaidaException;

/** No (complete) reply arrived within the deadline. */
public class RaidaTimeoutException extends RaidaException {
    private static final long serialVersionUID = 1L;

    /**
     * A call that got no reply within its deadline.
     *
     * @param message which RAIDA, transport and deadline
     */
    public RaidaTimeoutException(String message) {
        super(message);
    }
}
