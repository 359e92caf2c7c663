package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import java.util.Objects;

/**
 * What a {@link CommandHandler} returns: a status and an optional plaintext payload. The core adds
 * the header, encrypts the payload for the request's encryption type and appends the terminator.
 * A result with no payload has body size 0 and nothing after the header (wire-format §9.4).
 *
 * @param status  status byte (use {@link StatusCode#code()})
 * @param payload plaintext reply payload; empty for none
 */
public record CommandResult(int status, byte[] payload) {
    private static final byte[] NONE = new byte[0];
    private static final CommandResult SUCCESS = new CommandResult(StatusCode.STATUS_SUCCESS.code(), NONE);

    /**
     * Validates the status; a {@code null} payload means none.
     *
     * @param status status byte (use {@link StatusCode#code()})
     * @param payload plaintext reply payload; empty for none
     */
    public CommandResult {
        if (status < 0 || status > 255) {
            throw new IllegalArgumentException("status must be 0..255, got " + status);
        }
        payload = payload == null ? NONE : payload;
    }

    /**
     * Status 250 with no body.
     *
     * @return the shared result
     */
    public static CommandResult success() {
        return SUCCESS;
    }

    /**
     * Status 250 with a payload (the array is used as is, not copied).
     *
     * @param payload the reply payload
     * @return the result
     */
    public static CommandResult success(byte[] payload) {
        return new CommandResult(StatusCode.STATUS_SUCCESS.code(), Objects.requireNonNull(payload, "payload"));
    }

    /**
     * Any status with no body.
     *
     * @param status the status
     * @return the result
     */
    public static CommandResult of(StatusCode status) {
        return new CommandResult(status.code(), NONE);
    }

    /**
     * Any status with a payload (e.g. 243 with its bitmap).
     *
     * @param status the status
     * @param payload the reply payload (not copied)
     * @return the result
     */
    public static CommandResult of(StatusCode status, byte[] payload) {
        return new CommandResult(status.code(), payload);
    }

    /**
     * Whether the reply has a body.
     *
     * @return {@code true} if the payload is not empty
     */
    public boolean hasPayload() {
        return payload.length > 0;
    }
}
