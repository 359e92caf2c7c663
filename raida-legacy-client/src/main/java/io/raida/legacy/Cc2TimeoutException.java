package io.raida.legacy;

import java.nio.file.Path;

/** The CC2 back end did not accept, take or answer the request in time. RAIDA X status 48. */
public final class Cc2TimeoutException extends Cc2TransportException {
    private static final long serialVersionUID = 1L;

    Cc2TimeoutException(String message, Throwable cause, Path socketPath, Phase phase) {
        super(message, cause, socketPath, phase, "ETIMEDOUT");
    }
}
