package io.raida.protocol;

import io.raida.protocol.internal.Bytes;
import java.util.Arrays;
import java.util.Objects;

/**
 * A RAIDA X request header: 32 bytes for encryption types 0/1/2, 48 bytes for every other type
 * (wire-format §2–§5). Immutable; every byte of the header maps to exactly one component, so
 * {@code decode(encode(h)).equals(h)} and {@code encode(decode(bytes))} reproduces the bytes.
 *
 * <p>Layout differences between the two sizes: the 32-byte header carries the body size at 22..23,
 * key coin (or locker prefix) at 17..21 and an 8-byte nonce at 24..31 whose last two bytes are the
 * echo; the 48-byte header carries the body size at 17..18, key coin 1 at 19..23 and a 24-byte
 * nonce at 24..47 whose last two bytes are the echo (for type 5 nonce bytes 0..4 name coin 2).
 *
 * @param routing         byte 0, must be 1
 * @param splitId         byte 1, must be 0
 * @param raidaId         byte 2, the target RAIDA (0..24)
 * @param shardId         byte 3 (0..3)
 * @param commandGroup    byte 4
 * @param commandCode     byte 5
 * @param coinId          bytes 6..7
 * @param presentation    byte 8 (ignored by servers)
 * @param applicationPort bytes 9..10 (ignored)
 * @param compression     byte 11 (ignored)
 * @param translation     byte 12 (ignored)
 * @param aiTransform     byte 13 (ignored)
 * @param packetIndex     byte 14 (ignored)
 * @param packetCount     byte 15 (ignored)
 * @param encryptionType  byte 16, raw value (may be reserved/unknown)
 * @param bodySize        body length including terminator (and HMAC for types 4/5), 0..65535
 * @param denomination    key coin denomination, signed (-128..127); for type 2 the first locker-prefix byte
 * @param serialNumber    key coin serial number (u32); for type 2 locker-prefix bytes 1..4
 * @param nonce           8 bytes (32-byte header, bytes 24..31) or 24 bytes (48-byte header, bytes 24..47)
 */
public record RequestHeader(int routing, int splitId, int raidaId, int shardId, int commandGroup, int commandCode,
                            int coinId, int presentation, int applicationPort, int compression, int translation,
                            int aiTransform, int packetIndex, int packetCount, int encryptionType, int bodySize,
                            int denomination, long serialNumber, byte[] nonce) {

    /** The 32-byte header kind, used by encryption types 0, 1 and 2. */
    public static final int HEADER_32 = 32;
    /** The 48-byte header kind, used by encryption types 4, 5 and every unknown type. */
    public static final int HEADER_48 = 48;
    /** Old name of {@link #HEADER_32}, kept while client code migrates. */
    @Deprecated
    public static final int LEGACY_SIZE = HEADER_32;
    /** Old name of {@link #HEADER_48}, kept while client code migrates. */
    @Deprecated
    public static final int MODERN_SIZE = HEADER_48;
    /** Bytes needed before the header size is known (byte 16 decides). */
    public static final int SIZE_PROBE = 17;
    /** Largest body a request can declare (16-bit field). */
    public static final int MAX_BODY_SIZE = 0xFFFF;

    /**
     * Validates the components and copies the nonce.
     *
     * @param routing byte 0, must be 1
     * @param splitId byte 1, must be 0
     * @param raidaId byte 2, the target RAIDA (0..24)
     * @param shardId byte 3 (0..3)
     * @param commandGroup byte 4
     * @param commandCode byte 5
     * @param coinId bytes 6..7
     * @param presentation byte 8 (ignored by servers)
     * @param applicationPort bytes 9..10 (ignored)
     * @param compression byte 11 (ignored)
     * @param translation byte 12 (ignored)
     * @param aiTransform byte 13 (ignored)
     * @param packetIndex byte 14 (ignored)
     * @param packetCount byte 15 (ignored)
     * @param encryptionType byte 16, raw value (may be reserved/unknown)
     * @param bodySize body length including terminator (and HMAC for types 4/5), 0..65535
     * @param denomination key coin denomination, signed (-128..127); for type 2 the first locker-prefix byte
     * @param serialNumber key coin serial number (u32); for type 2 locker-prefix bytes 1..4
     * @param nonce 8 bytes (32-byte header, bytes 24..31) or 24 bytes (48-byte header, bytes 24..47)
     */
    public RequestHeader {
        Objects.requireNonNull(nonce, "nonce");
        int expected = EncryptionType.headerSizeFor(encryptionType) == HEADER_32 ? 8 : 24;
        if (nonce.length != expected) {
            throw new IllegalArgumentException("nonce must be " + expected + " bytes for encryption type "
                    + encryptionType + ", got " + nonce.length);
        }
        checkRange("routing", routing, 0xFF);
        checkRange("splitId", splitId, 0xFF);
        checkRange("raidaId", raidaId, 0xFF);
        checkRange("shardId", shardId, 0xFF);
        checkRange("commandGroup", commandGroup, 0xFF);
        checkRange("commandCode", commandCode, 0xFF);
        checkRange("coinId", coinId, 0xFFFF);
        checkRange("presentation", presentation, 0xFF);
        checkRange("applicationPort", applicationPort, 0xFFFF);
        checkRange("compression", compression, 0xFF);
        checkRange("translation", translation, 0xFF);
        checkRange("aiTransform", aiTransform, 0xFF);
        checkRange("packetIndex", packetIndex, 0xFF);
        checkRange("packetCount", packetCount, 0xFF);
        checkRange("encryptionType", encryptionType, 0xFF);
        checkRange("bodySize", bodySize, MAX_BODY_SIZE);
        if (denomination < -128 || denomination > 127) {
            throw new IllegalArgumentException("denomination must fit a signed byte: " + denomination);
        }
        if (serialNumber < 0 || serialNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serialNumber must fit 32 bits unsigned: " + serialNumber);
        }
        nonce = nonce.clone();
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ", got " + value);
        }
    }

    /**
     * Header size on the wire: 32 or 48.
     *
     * @return 32 or 48
     */
    public int size() {
        return EncryptionType.headerSizeFor(encryptionType);
    }

    /**
     * The nonce bytes (a copy).
     *
     * @return a new array of 8 or 24 bytes
     */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * The two echo bytes the server copies into its reply (bytes 30..31 or 46..47).
     *
     * @return the echo, 0..65535
     */
    public int echo() {
        return Bytes.u16(nonce, nonce.length - 2);
    }

    /**
     * Type 2: the 5-byte locker-AN prefix (bytes 17..21).
     *
     * @return a new 5-byte array
     */
    public byte[] lockerPrefix() {
        byte[] p = new byte[5];
        p[0] = (byte) denomination;
        Bytes.putU32(p, 1, serialNumber);
        return p;
    }

    /**
     * Type 5: denomination of the second key coin (byte 24, nonce byte 0).
     *
     * @return the denomination code
     */
    public int secondDenomination() {
        return nonce[0];
    }

    /**
     * Type 5: serial number of the second key coin (bytes 25..28, nonce bytes 1..4).
     *
     * @return the serial number
     */
    public long secondSerialNumber() {
        return Bytes.u32(nonce, 1);
    }

    /**
     * The encryption type, or {@code null} if byte 16 holds a reserved/unknown value.
     *
     * @return the type, or {@code null}
     */
    public EncryptionType type() {
        return EncryptionType.fromCode(encryptionType);
    }

    /**
     * Encodes into a new array of {@link #size()} bytes.
     *
     * @return the encoded header
     */
    public byte[] encode() {
        byte[] b = new byte[size()];
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
        dst[off] = (byte) routing;
        dst[off + 1] = (byte) splitId;
        dst[off + 2] = (byte) raidaId;
        dst[off + 3] = (byte) shardId;
        dst[off + 4] = (byte) commandGroup;
        dst[off + 5] = (byte) commandCode;
        Bytes.putU16(dst, off + 6, coinId);
        dst[off + 8] = (byte) presentation;
        Bytes.putU16(dst, off + 9, applicationPort);
        dst[off + 11] = (byte) compression;
        dst[off + 12] = (byte) translation;
        dst[off + 13] = (byte) aiTransform;
        dst[off + 14] = (byte) packetIndex;
        dst[off + 15] = (byte) packetCount;
        dst[off + 16] = (byte) encryptionType;
        if (size() == HEADER_32) {
            dst[off + 17] = (byte) denomination;
            Bytes.putU32(dst, off + 18, serialNumber);
            Bytes.putU16(dst, off + 22, bodySize);
        } else {
            Bytes.putU16(dst, off + 17, bodySize);
            dst[off + 19] = (byte) denomination;
            Bytes.putU32(dst, off + 20, serialNumber);
        }
        System.arraycopy(nonce, 0, dst, off + 24, nonce.length);
    }

    /**
     * Decodes a header from {@code src} at {@code off}. Byte 16 decides the size; {@code len} must
     * cover it.
     *
     * @param src the array holding the header
     * @param off where the header starts
     * @param len the bytes available from {@code off}
     * @return the header
     * @throws MalformedFrameException if fewer than 17 bytes, or fewer than the header size, are given
     */
    public static RequestHeader decode(byte[] src, int off, int len) {
        if (len < SIZE_PROBE) {
            throw new MalformedFrameException("request header needs at least " + SIZE_PROBE
                    + " bytes to know its size, got " + len);
        }
        int type = Bytes.u8(src, off + 16);
        int size = EncryptionType.headerSizeFor(type);
        if (len < size) {
            throw new MalformedFrameException("encryption type " + type + " needs a " + size
                    + "-byte header, got " + len + " bytes");
        }
        boolean legacy = size == HEADER_32;
        return new RequestHeader(
                Bytes.u8(src, off), Bytes.u8(src, off + 1), Bytes.u8(src, off + 2), Bytes.u8(src, off + 3),
                Bytes.u8(src, off + 4), Bytes.u8(src, off + 5), Bytes.u16(src, off + 6), Bytes.u8(src, off + 8),
                Bytes.u16(src, off + 9), Bytes.u8(src, off + 11), Bytes.u8(src, off + 12), Bytes.u8(src, off + 13),
                Bytes.u8(src, off + 14), Bytes.u8(src, off + 15), type,
                legacy ? Bytes.u16(src, off + 22) : Bytes.u16(src, off + 17),
                legacy ? src[off + 17] : src[off + 19],
                legacy ? Bytes.u32(src, off + 18) : Bytes.u32(src, off + 20),
                Arrays.copyOfRange(src, off + 24, off + size));
    }

    /**
     * Decodes a whole array (see {@link #decode(byte[], int, int)}).
     *
     * @param src the bytes, starting with the header
     * @return the header
     */
    public static RequestHeader decode(byte[] src) {
        return decode(src, 0, src.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    /** Diagnostic form; the nonce is shown since it is public on the wire, never an AN. */
    @Override
    public String toString() {
        return "RequestHeader[raida=" + raidaId + ", shard=" + shardId + ", command=" + commandGroup + "/" + commandCode
                + ", coinId=" + coinId + ", type=" + encryptionType + ", bodySize=" + bodySize
                + ", coin=" + denomination + ":" + serialNumber + ", nonce=" + Bytes.hex(nonce) + "]";
    }
}
