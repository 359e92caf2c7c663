package io.raida.protocol.client;

import io.raida.protocol.RaidaException;

/** A RAIDA answered with a status other than the one the caller required. */
public class RaidaStatusException extends RaidaException {
    private static final long serialVersionUID = 1L;
    /** The status byte; serialized with the exception. */
    private final int status;

    /**
     * A reply with a status the caller cannot use.
     *
     * @param status the status byte the RAIDA sent, 0..255
     * @param message what was asked and what the status means
     */
    public RaidaStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The status byte the RAIDA sent.
     *
     * @return the status byte, 0..255
     */
    public int status() {
        return status;
    }
}
