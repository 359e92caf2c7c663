package io.raida.legacy;

import io.raida.protocol.RaidaException;
import io.raida.protocol.StatusCode;
import java.nio.file.Path;

/**
 * A CC2 call failed. Carries the RAIDA X status the server should answer its own client with
 * (always 48 ERROR_LEGACY_DB for the subclasses of this library) and the socket path involved.
 */
public abstract class Cc2Exception extends RaidaException {
    private static final long serialVersionUID = 1L;
    /** The RAIDA X status to answer with; serialized with the exception. */
    private final int raidaStatus;
    private final transient Path socketPath;

    Cc2Exception(String message, Throwable cause, StatusCode raidaStatus, Path socketPath) {
        super(message, cause);
        this.raidaStatus = raidaStatus.code();
        this.socketPath = socketPath;
    }

    /**
     * The status to answer the RAIDA X client with (48 ERROR_LEGACY_DB).
     *
     * @return 48, the ERROR_LEGACY_DB status byte
     */
    public int raidaStatus() {
        return raidaStatus;
    }

    /**
     * The CC2 socket the call used.
     *
     * @return the socket path the failed call connected (or tried to connect) to
     */
    public Path socketPath() {
        return socketPath;
    }
}
