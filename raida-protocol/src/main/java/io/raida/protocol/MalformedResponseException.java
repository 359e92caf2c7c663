package io.raida.protocol;

/** A response that does not follow the wire format (sizes, terminator, header). */
public class MalformedResponseException extends RaidaException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message) {
        super(message);
    }
}
