package io.raida.protocol;

import io.raida.protocol.internal.Bytes;

/** Bytes that cannot be read as a RAIDA request frame (too short, inconsistent sizes). */
public class MalformedFrameException extends RaidaException {
    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
