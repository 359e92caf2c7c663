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

    /** The decoded request header. */
    RequestHeader header();

    int commandGroup();

    int commandCode();

    int shardId();

    /** Raw encryption type (0, 1, 2, 4 or 5). */
    int encryptionType();

    /** False if the request declared body size 0 (no challenge, no payload). */
    boolean hasBody();

    /** Backing array of the plaintext payload. Do not modify outside the payload range. */
    byte[] payloadArray();

    int payloadOffset();

    /** Payload length: body_size − 18 for types 0/1/2, body_size − 34 for types 4/5, 0 without a body. */
    int payloadLength();

    /** A copy of the payload. */
    default byte[] payload() {
        return java.util.Arrays.copyOfRange(payloadArray(), payloadOffset(), payloadOffset() + payloadLength());
    }

    Transport transport();

    /** The peer, or {@code null} when the request did not come from a socket (in-memory use). */
    InetSocketAddress remoteAddress();
}
