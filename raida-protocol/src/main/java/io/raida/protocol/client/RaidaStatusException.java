package io.raida.protocol.client;

import io.raida.protocol.RaidaException;

/** A RAIDA answered with a status other than the one the caller required. */
public class RaidaStatusException extends RaidaException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RaidaStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status byte the RAIDA sent. */
    public int status() {
        return status;
    }
}
