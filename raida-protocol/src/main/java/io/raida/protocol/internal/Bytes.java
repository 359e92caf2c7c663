package io.raida.protocol.internal;

import java.util.HexFormat;

/** Big-endian field access and hex helpers shared by the codecs. */
public final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    /** The request/response terminator {@code 3E 3E} (ASCII ">>"), never encrypted or MACed. */
    public static final byte TERMINATOR_BYTE = 0x3E;
    /** Length of the terminator. */
    public static final int TERMINATOR_SIZE = 2;

    private Bytes() {
    }

    /**
     * Reads an unsigned byte.
     *
     * @param b the array
     * @param off the byte's index
     * @return the value, 0..255
     */
    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    /**
     * Reads a big-endian unsigned 16-bit value.
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @return the value, 0..65535
     */
    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    /**
     * Reads a big-endian unsigned 24-bit value (e.g. the response body size).
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @return the value, 0..2^24-1
     */
    public static int u24(byte[] b, int off) {
        return (b[off] & 0xFF) << 16 | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF);
    }

    /**
     * Reads a big-endian unsigned 32-bit value (e.g. a serial number).
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @return the value, 0..2^32-1
     */
    public static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /**
     * Writes the low 16 bits of {@code v} big-endian.
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @param v the value; higher bits are ignored
     */
    public static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /**
     * Writes the low 24 bits of {@code v} big-endian.
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @param v the value; higher bits are ignored
     */
    public static void putU24(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 16);
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) v;
    }

    /**
     * Writes the low 32 bits of {@code v} big-endian.
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @param v the value; higher bits are ignored
     */
    public static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /**
     * Writes {@code v} as 8 bytes big-endian (e.g. a keystream block counter).
     *
     * @param b the array
     * @param off the index of the first (most significant) byte
     * @param v the value
     */
    public static void putU64(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /**
     * True if the two bytes at {@code off} are {@code 3E 3E}.
     *
     * @param b the array
     * @param off the index of the first byte
     * @return {@code true} for the terminator
     */
    public static boolean isTerminator(byte[] b, int off) {
        return b[off] == TERMINATOR_BYTE && b[off + 1] == TERMINATOR_BYTE;
    }

    /**
     * Writes {@code 3E 3E} at {@code off}.
     *
     * @param b the array
     * @param off the index of the first byte
     */
    public static void putTerminator(byte[] b, int off) {
        b[off] = TERMINATOR_BYTE;
        b[off + 1] = TERMINATOR_BYTE;
    }

    /**
     * Lower-case hex of a whole array, for tests and tools (never for key material in logs).
     *
     * @param b the bytes
     * @return two hex digits per byte
     */
    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * Lower-case hex of a region, for tests and tools (never for key material in logs).
     *
     * @param b the array
     * @param off the first byte
     * @param len the number of bytes
     * @return two hex digits per byte
     */
    public static String hex(byte[] b, int off, int len) {
        return HEX.formatHex(b, off, off + len);
    }

    /**
     * Parses hex digits; spaces between them are ignored.
     *
     * @param s the hex text, an even number of digits
     * @return the bytes
     * @throws IllegalArgumentException if {@code s} holds other characters or an odd number of digits
     */
    public static byte[] fromHex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }
}
