package io.raida.legacy;

import io.raida.protocol.StatusCode;

/**
 * A CC2 request cannot be expressed on the wire (serial number of 2^24 or more, an AN that is not 16
 * bytes, no coins, more coins than the 16-bit body length allows). Raised before anything is
 * allocated or sent. Carries the RAIDA X status a server should answer with.
 */
public final class Cc2RequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The RAIDA X status to answer with; serialized with the exception. */
    private final int raidaStatus;

    Cc2RequestException(String message, StatusCode raidaStatus) {
        super(message);
        this.raidaStatus = raidaStatus.code();
    }

    /**
     * E.g. 40 ERROR_INVALID_SN_OR_DENOMINATION, 45 ERROR_TOO_MANY_COINS, 36 ERROR_EMPTY_REQUEST.
     *
     * @return the status byte the request is refused with (nothing was sent to CC2)
     */
    public int raidaStatus() {
        return raidaStatus;
    }
}
