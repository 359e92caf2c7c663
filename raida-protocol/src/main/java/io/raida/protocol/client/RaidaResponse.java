package io.raida.protocol.client;

import io.raida.protocol.ResponseHeader;
import io.raida.protocol.StatusCode;
import java.util.Objects;

/**
 * A parsed, verified and decrypted response.
 *
 * @param header  the response header (32 or 48 bytes)
 * @param payload the plaintext payload (terminator, HMAC removed); empty when there is no body
 */
public record RaidaResponse(ResponseHeader header, byte[] payload) {

    /**
     * Copies the payload.
     *
     * @param header the response header (32 or 48 bytes)
     * @param payload the plaintext payload (terminator, HMAC removed); empty when there is no body
     */
    public RaidaResponse {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        payload = payload.clone();
    }

    /**
     * The plaintext payload.
     *
     * @return a new array, empty when there is no body
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * Length of the plaintext payload, without copying it.
     *
     * @return the length in bytes, 0 when there is no body
     */
    public int payloadLength() {
        return payload.length;
    }

    /**
     * The status byte of the response header.
     *
     * @return the status, 0..255
     */
    public int status() {
        return header.status();
    }

    /**
     * The status, or {@code null} if the server sent a value this library does not know.
     *
     * @return the status, or {@code null}
     */
    public StatusCode statusCode() {
        return header.statusCode();
    }

    /**
     * True for status 250.
     *
     * @return {@code true} for status 250
     */
    public boolean isSuccess() {
        return header.status() == StatusCode.STATUS_SUCCESS.code();
    }

    /**
     * Server-side execution time in microseconds as reported in the header.
     *
     * @return the time in microseconds
     */
    public long executionMicros() {
        return header.executionMicros();
    }

    /**
     * Returns this response if its status is one of {@code accepted} (250 if none given).
     *
     * @param accepted the statuses the caller can use
     * @return this response
     * @throws RaidaStatusException otherwise, naming the status
     */
    public RaidaResponse require(StatusCode... accepted) {
        if (accepted.length == 0 && isSuccess()) {
            return this;
        }
        for (StatusCode s : accepted) {
            if (s.code() == status()) {
                return this;
            }
        }
        throw new RaidaStatusException(status(), "RAIDA " + header.raidaId() + " answered "
                + StatusCode.describe(status()) + (accepted.length == 0 ? ", expected STATUS_SUCCESS(250)" : ""));
    }

    @Override
    public String toString() {
        return "RaidaResponse[" + StatusCode.describe(status()) + ", payload=" + payload.length + " bytes, "
                + header.executionMicros() + " us]";
    }
}
