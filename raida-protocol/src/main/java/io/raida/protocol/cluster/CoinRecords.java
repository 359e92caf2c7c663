package io.raida.protocol.cluster;

import java.util.List;

/**
 * The byte layouts the coin commands share in their payloads: a coin as {@code den(1) ‖ SN(4)}
 * (big-endian), u32 fields, and the XOR of 16-byte ANs that the sum commands and put send.
 */
final class CoinRecords {
    /** Bytes of {@code den ‖ SN}. */
    static final int COIN = 5;
    /** Bytes of an AN, PAN, locker key or PG. */
    static final int AN = 16;

    private CoinRecords() {
    }

    /**
     * Writes {@code den ‖ SN} of {@code c} at {@code p[o]}.
     *
     * @param p the payload
     * @param o the offset
     * @param c the coin
     * @return the offset after it
     */
    static int writeCoin(byte[] p, int o, Coin c) {
        p[o] = (byte) c.denomination();
        putU32(p, o + 1, c.serialNumber());
        return o + COIN;
    }

    /**
     * Writes {@code v} big-endian at {@code b[off]}.
     *
     * @param b   the buffer
     * @param off the offset
     * @param v   0..2^32−1
     */
    static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /**
     * @param b   the buffer
     * @param off the offset
     * @return the big-endian u32 at {@code b[off]}
     */
    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
    }

    /**
     * XORs {@code an} into {@code acc}.
     *
     * @param acc 16 bytes, changed
     * @param an  16 bytes
     */
    static void xorInto(byte[] acc, byte[] an) {
        for (int i = 0; i < AN; i++) {
            acc[i] ^= an[i];
        }
    }

    /**
     * @param a 16 bytes
     * @param b 16 bytes
     * @return a new {@code a ^ b}
     */
    static byte[] xor(byte[] a, byte[] b) {
        byte[] r = a.clone();
        xorInto(r, b);
        return r;
    }

    /**
     * The XOR of RAIDA {@code raidaId}'s ANs of coins {@code [from, to)}: the sum put and the sum
     * commands prove the coins with.
     *
     * @param coins   the coins
     * @param from    the first
     * @param to      one past the last
     * @param raidaId whose ANs
     * @return 16 bytes
     */
    static byte[] sum(List<Coin> coins, int from, int to, int raidaId) {
        byte[] su = new byte[AN];
        for (int j = from; j < to; j++) {
            xorInto(su, coins.get(j).anRef(raidaId));
        }
        return su;
    }
}
