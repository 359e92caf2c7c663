package io.raida.legacy;

import io.raida.protocol.StatusCode;
import java.nio.file.Path;

/**
 * The CC2 back end answered, but not with a reply this client can use: a status other than
 * 241/242/243 (D-8: never read as "0 pass / 0 fail"), or a 243 whose length does not announce exactly
 * {@code ceil(n/8)} bitmap bytes. RAIDA X status 48.
 */
public final class Cc2ReplyException extends Cc2Exception {
    private static final long serialVersionUID = 1L;
    /** The status byte the back end sent; serialized with the exception. */
    private final int cc2Status;

    Cc2ReplyException(String message, Path socketPath, int cc2Status) {
        super(message, null, StatusCode.ERROR_LEGACY_DB, socketPath);
        this.cc2Status = cc2Status;
    }

    /**
     * The status byte the CC2 back end sent (byte 2 of its reply header).
     *
     * @return the CC2 status byte, 0..255
     */
    public int cc2Status() {
        return cc2Status;
    }
}
