package io.raida.protocol;

import io.raida.protocol.internal.Bytes;

/** Bytes that cannot be read as a RAIDA request frame (too short, inconsistent sizes). */
public class MalformedFrameException extends RaidaException {
    private static final long serialVersionUID = 1L;

    /**
     * A frame that does not follow the wire format.
     *
     * @param message what is wrong and where, without key material
     */
    public MalformedFrameException(String message) {
        super(message);
    }
}
