package io.raida.protocol.client;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.ResponseHeader;


/**
 * A request frame built by {@link RequestBuilder}, together with what is needed to verify and
 * decrypt its response: the expected echo and challenge signature, and the key. Immutable. Holds key
 * material: never log it (its {@link #toString()} shows none).
 */
public final class ClientRequest {
    private final byte[] frame;
    private final int raidaId;
    private final int commandGroup;
    private final int commandCode;
    private final EncryptionType type;
    private final int echo;
    private final byte[] expectedSignature;
    private final byte[] an;
    private final byte[] key32;
    private final KeystreamMode keystream;
    private final int bodySize;

    ClientRequest(byte[] frame, int raidaId, int commandGroup, int commandCode, EncryptionType type, int echo,
                  byte[] expectedSignature, byte[] an, byte[] key32, KeystreamMode keystream, int bodySize) {
        this.frame = frame;
        this.raidaId = raidaId;
        this.commandGroup = commandGroup;
        this.commandCode = commandCode;
        this.type = type;
        this.echo = echo;
        this.expectedSignature = expectedSignature;
        this.an = an;
        this.key32 = key32;
        this.keystream = keystream;
        this.bodySize = bodySize;
    }

    /**
     * The bytes to send (header + body), a copy.
     *
     * @return a new array
     */
    public byte[] frame() {
        return frame.clone();
    }

    /**
     * Length of the frame.
     *
     * @return the length in bytes
     */
    public int length() {
        return frame.length;
    }

    /**
     * Writes the frame into {@code dst} at {@code off} without copying it first.
     *
     * @param dst the array to write to
     * @param off where the frame starts
     */
    public void copyFrameTo(byte[] dst, int off) {
        System.arraycopy(frame, 0, dst, off, frame.length);
    }

    /**
     * The frame as a read-only buffer (no copy).
     *
     * @return a read-only buffer over the frame
     */
    public java.nio.ByteBuffer frameBuffer() {
        return java.nio.ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    /**
     * The RAIDA the request is addressed to (request byte 2).
     *
     * @return the RAIDA id, 0..24
     */
    public int raidaId() {
        return raidaId;
    }

    /**
     * The command group (request byte 4).
     *
     * @return the group, 0..255
     */
    public int commandGroup() {
        return commandGroup;
    }

    /**
     * The command code (request byte 5).
     *
     * @return the code, 0..255
     */
    public int commandCode() {
        return commandCode;
    }

    /**
     * The encryption type (request byte 16).
     *
     * @return the type, never {@code null}
     */
    public EncryptionType encryptionType() {
        return type;
    }

    /**
     * The echo bytes the server copies back (response 6..7 or 46..47).
     *
     * @return the echo, 0..65535
     */
    public int echo() {
        return echo;
    }

    /**
     * A copy of this type 4/5 request with other echo bytes: header bytes 46..47, which neither the
     * cipher (its IV is bytes 24..39) nor the HMAC (it covers the ciphertext) involves, so the body
     * stays valid.
     *
     * @param newEcho the new echo bytes, 0..65535
     * @return a new request
     * @throws IllegalStateException for types 0/1/2, whose echo bytes are nonce bytes 6..7 and
     *                               cannot change once the body is encrypted or signed
     */
    public ClientRequest withEcho(int newEcho) {
        if (!type.isModern()) {
            throw new IllegalStateException("the echo of a type " + type.code() + " request is part of its nonce and "
                    + "cannot be changed after building; set it with RequestBuilder.echo");
        }
        if (newEcho < 0 || newEcho > 0xFFFF) {
            throw new IllegalArgumentException("echo is two bytes, got " + newEcho);
        }
        byte[] f = frame.clone();
        Bytes.putU16(f, 46, newEcho);
        return new ClientRequest(f, raidaId, commandGroup, commandCode, type, newEcho, expectedSignature, an, key32,
                keystream, bodySize);
    }

    /**
     * Header size of this request: 32 or 48.
     *
     * @return 32 or 48
     */
    public int headerSize() {
        return type.headerSize();
    }

    /** The internal frame array (package use only: never modified). */
    byte[] rawFrame() {
        return frame;
    }

    int bodySize() {
        return bodySize;
    }

    /** Expected response bytes 16..31 (types 0/1/2 with a body), or null. */
    byte[] expectedSignature() {
        return expectedSignature;
    }

    byte[] an() {
        return an;
    }

    byte[] key32() {
        return key32;
    }

    KeystreamMode keystream() {
        return keystream;
    }

    /**
     * Whether {@code response} plausibly answers this request, for matching UDP replies on a shared
     * socket: same RAIDA, same echo bytes, and (types 0/1/2) a signature that is either zero (no body
     * processed) or the expected one. Early header errors (255, 2..7) carry echo 0 and cannot be
     * matched by content; they match a request only if its echo is 0 too.
     *
     * @param response the array holding the response
     * @param off where the response starts
     * @param len the response's length
     * @return {@code true} if it may answer this request
     */
    public boolean matches(byte[] response, int off, int len) {
        if (len < ResponseHeader.LEGACY_SIZE || (response[off] & 0xFF) != raidaId) {
            return false;
        }
        int hs = len - Bytes.u24(response, off + 9);
        if (hs == ResponseHeader.MODERN_SIZE && len >= hs) {
            return Bytes.u16(response, off + 46) == echo;
        }
        if (hs != ResponseHeader.LEGACY_SIZE || Bytes.u16(response, off + 6) != echo) {
            return false;
        }
        if (expectedSignature == null) {
            return true;
        }
        boolean zero = true;
        for (int i = 16; i < 32; i++) {
            zero &= response[off + i] == 0;
        }
        return zero || Crypto.constantTimeEquals(response, off + 16, expectedSignature, 0, 16);
    }

    @Override
    public String toString() {
        return "ClientRequest[raida=" + raidaId + ", command=" + commandGroup + "/" + commandCode + ", type="
                + type.code() + ", " + frame.length + " bytes, echo=" + Integer.toHexString(echo) + "]";
    }
}
