package io.raida.protocol.cluster;

import io.raida.protocol.internal.Bytes;
import java.util.List;

/**
 * The byte layouts the coin commands share in their payloads: a coin as {@code den(1) ‖ SN(4)}
 * (big-endian), and the XOR of 16-byte ANs that the sum commands and put send.
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
        Bytes.putU32(p, o + 1, c.serialNumber());
        return o + COIN;
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
