package io.raida.protocol;

/** Base of every exception this library raises for protocol-level problems. */
public class RaidaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RaidaException(String message) {
        super(message);
    }

    public RaidaException(String message, Throwable cause) {
        super(message, cause);
    }
}
