package io.raida.protocol;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.MalformedResponseException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A RAIDA X response header (wire-format §9): 32 bytes for request types 0/1/2 and for the early
 * header errors, 48 bytes for types 4/5 and unknown types. Both forms carry the status at byte 2 and
 * the body size at bytes 9..11. Immutable.
 *
 * @param size            32 or 48
 * @param raidaId         byte 0
 * @param shardId         byte 1 (always 0 from servers)
 * @param status          byte 2, see {@link StatusCode}
 * @param commandGroup    byte 3
 * @param frameCount      32-byte form, bytes 4..5 (always 1); 0 in the 48-byte form
 * @param echo            32-byte form bytes 6..7; 48-byte form bytes 46..47
 * @param bitfield        byte 8 (reserved, 0)
 * @param bodySize        bytes 9..11, body length including terminator (0 = no body)
 * @param executionMicros 32-byte form bytes 12..15; 48-byte form bytes 4..7
 * @param signature       32-byte form bytes 16..31 (16 bytes); empty in the 48-byte form
 * @param encryptionType  48-byte form byte 16; 0 in the 32-byte form
 * @param denomination    48-byte form byte 17 (signed); 0 in the 32-byte form
 * @param serialNumber    48-byte form bytes 18..21; 0 in the 32-byte form
 * @param nonce           48-byte form bytes 24..45 (22 bytes); empty in the 32-byte form
 */
public record ResponseHeader(int size, int raidaId, int shardId, int status, int commandGroup, int frameCount,
                             int echo, int bitfield, int bodySize, long executionMicros, byte[] signature,
                             int encryptionType, int denomination, long serialNumber, byte[] nonce) {

    /** The 32-byte header kind, answering types 0/1/2 and the early header errors. */
    public static final int HEADER_32 = 32;
    /** The 48-byte header kind, answering types 4/5 and unknown types. */
    public static final int HEADER_48 = 48;
    /** Old name of {@link #HEADER_32}, kept while client code migrates. */
    @Deprecated
    public static final int LEGACY_SIZE = HEADER_32;
    /** Old name of {@link #HEADER_48}, kept while client code migrates. */
    @Deprecated
    public static final int MODERN_SIZE = HEADER_48;
    /** Largest body size the 24-bit field can express. */
    public static final int MAX_BODY_SIZE = 0xFF_FFFF;
    private static final byte[] EMPTY = new byte[0];

    /**
     * Validates the components and copies the arrays.
     *
     * @param size 32 or 48
     * @param raidaId byte 0
     * @param shardId byte 1 (always 0 from servers)
     * @param status byte 2, see {@link StatusCode}
     * @param commandGroup byte 3
     * @param frameCount 32-byte form, bytes 4..5 (always 1); 0 in the 48-byte form
     * @param echo 32-byte form bytes 6..7; 48-byte form bytes 46..47
     * @param bitfield byte 8 (reserved, 0)
     * @param bodySize bytes 9..11, body length including terminator (0 = no body)
     * @param executionMicros 32-byte form bytes 12..15; 48-byte form bytes 4..7
     * @param signature 32-byte form bytes 16..31 (16 bytes); empty in the 48-byte form
     * @param encryptionType 48-byte form byte 16; 0 in the 32-byte form
     * @param denomination 48-byte form byte 17 (signed); 0 in the 32-byte form
     * @param serialNumber 48-byte form bytes 18..21; 0 in the 32-byte form
     * @param nonce 48-byte form bytes 24..45 (22 bytes); empty in the 32-byte form
     */
    public ResponseHeader {
        if (size != HEADER_32 && size != HEADER_48) {
            throw new IllegalArgumentException("response header size must be 32 or 48, got " + size);
        }
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(nonce, "nonce");
        if (size == HEADER_32 && (signature.length != 16 || nonce.length != 0)) {
            throw new IllegalArgumentException("32-byte response header needs a 16-byte signature and no nonce");
        }
        if (size == HEADER_48 && (signature.length != 0 || nonce.length != 22)) {
            throw new IllegalArgumentException("48-byte response header needs a 22-byte nonce and no signature");
        }
        if (bodySize < 0 || bodySize > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("bodySize must fit 24 bits: " + bodySize);
        }
        signature = signature.clone();
        nonce = nonce.clone();
    }

    /**
     * A 32-byte header.
     *
     * @param raidaId the answering RAIDA, 0..24
     * @param status the status byte
     * @param commandGroup the request's command group
     * @param echo the request's echo bytes
     * @param bodySize the body length, 0 for none
     * @param executionMicros the server's handling time in microseconds
     * @param signature 16 bytes (copied)
     * @return the header
     */
    public static ResponseHeader legacy(int raidaId, int status, int commandGroup, int echo, int bodySize,
                                        long executionMicros, byte[] signature) {
        return new ResponseHeader(HEADER_32, raidaId, 0, status, commandGroup, 1, echo, 0, bodySize,
                executionMicros, signature, 0, 0, 0, EMPTY);
    }

    /**
     * A 48-byte header.
     *
     * @param raidaId the answering RAIDA, 0..24
     * @param status the status byte
     * @param commandGroup the request's command group
     * @param bodySize the body length, 0 for none
     * @param executionMicros the server's handling time in microseconds
     * @param encryptionType the request's encryption type
     * @param denomination the key coin's denomination
     * @param serialNumber the key coin's serial number
     * @param nonce22 the 22-byte reply nonce (copied)
     * @param echo the request's echo bytes
     * @return the header
     */
    public static ResponseHeader modern(int raidaId, int status, int commandGroup, int bodySize, long executionMicros,
                                        int encryptionType, int denomination, long serialNumber, byte[] nonce22,
                                        int echo) {
        return new ResponseHeader(HEADER_48, raidaId, 0, status, commandGroup, 0, echo, 0, bodySize,
                executionMicros, EMPTY, encryptionType, denomination, serialNumber, nonce22);
    }

    /**
     * The 32-byte form's signature bytes.
     *
     * @return a new 16-byte array, or an empty one in the 48-byte form
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The 48-byte form's nonce bytes.
     *
     * @return a new 22-byte array, or an empty one in the 32-byte form
     */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * The status as an enum, or {@code null} for values this library does not know.
     *
     * @return the status, or {@code null}
     */
    public StatusCode statusCode() {
        return StatusCode.fromCode(status);
    }

    /**
     * Encodes into a new array.
     *
     * @return {@link #size()} bytes
     */
    public byte[] encode() {
        byte[] b = new byte[size];
        encode(b, 0);
        return b;
    }

    /**
     * Encodes into {@code dst} at {@code off}; needs {@link #size()} bytes of room.
     *
     * @param dst the array to write to
     * @param off where the header starts
     */
    public void encode(byte[] dst, int off) {
        Arrays.fill(dst, off, off + size, (byte) 0);
        dst[off] = (byte) raidaId;
        dst[off + 1] = (byte) shardId;
        dst[off + 2] = (byte) status;
        dst[off + 3] = (byte) commandGroup;
        dst[off + 8] = (byte) bitfield;
        Bytes.putU24(dst, off + 9, bodySize);
        if (size == HEADER_32) {
            Bytes.putU16(dst, off + 4, frameCount);
            Bytes.putU16(dst, off + 6, echo);
            Bytes.putU32(dst, off + 12, executionMicros);
            System.arraycopy(signature, 0, dst, off + 16, 16);
        } else {
            Bytes.putU32(dst, off + 4, executionMicros);
            dst[off + 16] = (byte) encryptionType;
            dst[off + 17] = (byte) denomination;
            Bytes.putU32(dst, off + 18, serialNumber);
            System.arraycopy(nonce, 0, dst, off + 24, 22);
            Bytes.putU16(dst, off + 46, echo);
        }
    }

    /**
     * Decodes a header of the given size. Use {@link #headerSizeOf(int, int)} when the size is not
     * known in advance.
     *
     * @param src the array holding the header
     * @param off where the header starts
     * @param len the bytes available from {@code off}
     * @param size 32 or 48
     * @return the header
     * @throws MalformedResponseException if the bytes cannot hold such a header
     */
    public static ResponseHeader decode(byte[] src, int off, int len, int size) {
        if (size != HEADER_32 && size != HEADER_48) {
            throw new MalformedResponseException("response header size must be 32 or 48, got " + size);
        }
        if (len < size) {
            throw new MalformedResponseException("response needs a " + size + "-byte header, got " + len + " bytes");
        }
        int bodySize = Bytes.u24(src, off + 9);
        if (size == HEADER_32) {
            return new ResponseHeader(HEADER_32, Bytes.u8(src, off), Bytes.u8(src, off + 1), Bytes.u8(src, off + 2),
                    Bytes.u8(src, off + 3), Bytes.u16(src, off + 4), Bytes.u16(src, off + 6), Bytes.u8(src, off + 8),
                    bodySize, Bytes.u32(src, off + 12), Arrays.copyOfRange(src, off + 16, off + 32), 0, 0, 0, EMPTY);
        }
        return new ResponseHeader(HEADER_48, Bytes.u8(src, off), Bytes.u8(src, off + 1), Bytes.u8(src, off + 2),
                Bytes.u8(src, off + 3), 0, Bytes.u16(src, off + 46), Bytes.u8(src, off + 8), bodySize,
                Bytes.u32(src, off + 4), EMPTY, Bytes.u8(src, off + 16), src[off + 17], Bytes.u32(src, off + 18),
                Arrays.copyOfRange(src, off + 24, off + 46));
    }

    /**
     * The robust client rule of wire-format §9.3: given a complete response of {@code total} bytes
     * whose size field says {@code bodySize}, the header is {@code total - bodySize} bytes.
     *
     * @param total the length of the whole response
     * @param bodySize the header's body size field
     * @return 32 or 48
     * @throws MalformedResponseException if that is neither 32 nor 48
     */
    public static int headerSizeOf(int total, int bodySize) {
        int h = total - bodySize;
        if (h != HEADER_32 && h != HEADER_48) {
            throw new MalformedResponseException("response of " + total + " bytes declares a body of " + bodySize
                    + " bytes, leaving " + h + " header bytes (expected 32 or 48)");
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ResponseHeader[size=" + size + ", raida=" + raidaId + ", status=" + StatusCode.describe(status)
                + ", group=" + commandGroup + ", bodySize=" + bodySize + ", echo=" + Integer.toHexString(echo)
                + ", micros=" + executionMicros + (size == HEADER_48 ? ", type=" + encryptionType
                + ", coin=" + denomination + ":" + serialNumber : "") + "]";
    }
}
