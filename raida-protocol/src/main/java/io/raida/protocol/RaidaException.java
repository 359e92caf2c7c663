package io.raida.protocol;

/** Base of every exception this library raises for protocol-level problems. */
public class RaidaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with a message a person can act on.
     *
     * @param message what went wrong, without key material
     */
    public RaidaException(String message) {
        super(message);
    }

    /**
     * An error caused by another.
     *
     * @param message what went wrong, without key material
     * @param cause the underlying exception
     */
    public RaidaException(String message, Throwable cause) {
        super(message, cause);
    }
}
