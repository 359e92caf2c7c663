package io.raida.protocol.server;

import io.raida.protocol.RequestHeader;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;

/**
 * What a {@link CommandHandler} sees: a validated, decrypted request. The payload is given as
 * {@code (array, offset, length)} for every encryption type (D-14): the challenge, HMAC and
 * terminator are already stripped. Valid only during {@link CommandHandler#handle}; copy what you keep.
 */
public interface CommandRequest {

    /**
     * The decoded request header.
     *
     * @return the header, never {@code null}
     */
    RequestHeader header();

    /**
     * The command group, request byte 4.
     *
     * @return the group, 0..255
     */
    int commandGroup();

    /**
     * The command code, request byte 5.
     *
     * @return the code, 0..255
     */
    int commandCode();

    /**
     * The shard id, request byte 3.
     *
     * @return the shard id, 0..255
     */
    int shardId();

    /**
     * Raw encryption type (0, 1, 2, 4 or 5).
     *
     * @return the type number
     */
    int encryptionType();

    /**
     * False if the request declared body size 0 (no challenge, no payload).
     *
     * @return {@code true} if the request has a body
     */
    boolean hasBody();

    /**
     * Backing array of the plaintext payload. Do not modify outside the payload range.
     *
     * @return the array; the payload is at {@link #payloadOffset()}, {@link #payloadLength()} bytes
     */
    byte[] payloadArray();

    /**
     * Where the payload starts in {@link #payloadArray()}.
     *
     * @return the offset
     */
    int payloadOffset();

    /**
     * Payload length: body_size − 18 for types 0/1/2, body_size − 34 for types 4/5, 0 without a body.
     *
     * @return the length in bytes
     */
    int payloadLength();

    /**
     * A copy of the payload.
     *
     * @return a new array
     */
    default byte[] payload() {
        return java.util.Arrays.copyOfRange(payloadArray(), payloadOffset(), payloadOffset() + payloadLength());
    }

    /**
     * The transport the request arrived on.
     *
     * @return TCP or UDP
     */
    Transport transport();

    /**
     * The peer, or {@code null} when the request did not come from a socket (in-memory use).
     *
     * @return the peer's address, or {@code null}
     */
    InetSocketAddress remoteAddress();
}
