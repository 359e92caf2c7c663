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

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    public static int u24(byte[] b, int off) {
        return (b[off] & 0xFF) << 16 | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF);
    }

    public static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    public static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void putU24(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 16);
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) v;
    }

    public static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void putU64(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** True if the two bytes at {@code off} are {@code 3E 3E}. */
    public static boolean isTerminator(byte[] b, int off) {
        return b[off] == TERMINATOR_BYTE && b[off + 1] == TERMINATOR_BYTE;
    }

    /** Writes {@code 3E 3E} at {@code off}. */
    public static void putTerminator(byte[] b, int off) {
        b[off] = TERMINATOR_BYTE;
        b[off + 1] = TERMINATOR_BYTE;
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static String hex(byte[] b, int off, int len) {
        return HEX.formatHex(b, off, off + len);
    }

    public static byte[] fromHex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }
}
