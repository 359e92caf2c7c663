package io.raida.legacy;

import io.raida.protocol.StatusCode;
import java.nio.file.Path;

/**
 * The CC2 call was not made: the client's circuit breaker is open because the back end kept
 * failing. RAIDA X status 48.
 */
public final class Cc2UnavailableException extends Cc2Exception {
    private static final long serialVersionUID = 1L;

    Cc2UnavailableException(String message, Path socketPath) {
        super(message, null, StatusCode.ERROR_LEGACY_DB, socketPath);
    }
}
