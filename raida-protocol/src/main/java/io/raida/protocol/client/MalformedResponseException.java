package io.raida.protocol.client;

import io.raida.protocol.RaidaException;

/** A response that does not follow the wire format (sizes, terminator, header). */
public class MalformedResponseException extends RaidaException {
    private static final long serialVersionUID = 1L;

    /**
     * A response that does not follow the wire format.
     *
     * @param message what is wrong and where, without key material
     */
    public MalformedResponseException(String message) {
        super(message);
    }
}
