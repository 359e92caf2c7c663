package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;
import java.util.Arrays;

/**
 * Reading a RAIDA's per-coin verdict in the status family of auth.md §2: 241 all pass, 242 all
 * fail, 243 mixed with a bitmap (coin i is bit {@code i % 8} of byte {@code i / 8}). detect, pown,
 * get_ticket, fix, put, remove and store_multiple_sum answer this way; each differs only in what
 * follows the bitmap and in whether 243 may come at all.
 */
final class PassFailReply {
    private PassFailReply() {
    }

    /**
     * @param p    the bitmap bytes
     * @param skip bytes before the bitmap
     * @param i    the coin
     * @return whether coin {@code i}'s bit is set
     */
    static boolean bit(byte[] p, int skip, int i) {
        return (p[skip + i / 8] >> (i % 8) & 1) != 0;
    }

    /**
     * Whether the bitmap of {@code n} coins at the start of {@code p} could come from a server: no
     * bit beyond coin n − 1, and neither all nor none set (those would have been 241/242).
     *
     * @param p the payload, at least ⌈n/8⌉ bytes
     * @param n the coins of the request
     * @return whether it is plausible
     */
    static boolean bitmapPlausible(byte[] p, int n) {
        int passes = 0;
        for (int i = 0; i < (n + 7) / 8 * 8; i++) {
            boolean bit = bit(p, 0, i);
            if (bit && i >= n) {
                return false; // a bit for a coin that was not sent
            }
            passes += bit ? 1 : 0;
        }
        return passes > 0 && passes < n;
    }

    /**
     * Whether a reply's body fits its status: 241 exactly {@code trailer} bytes, 242 none, 243 a
     * plausible bitmap of ⌈n/8⌉ bytes and then {@code trailer} bytes (only when {@code bitmap}).
     * Other statuses carry nothing read here.
     *
     * @param r       the reply
     * @param n       the coins of the request
     * @param bitmap  whether 243 is an answer of the command (not for the sum commands)
     * @param trailer bytes after the verdict on 241 and 243 (get_ticket's ticket: 4)
     * @return whether it is plausible
     */
    static boolean plausible(RaidaResponse r, int n, boolean bitmap, int trailer) {
        byte[] p = r.payload();
        int s = r.status();
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            return p.length == trailer;
        }
        if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            return p.length == 0;
        }
        if (s == StatusCode.STATUS_MIXED.code()) {
            return bitmap && p.length == (n + 7) / 8 + trailer && bitmapPlausible(p, n);
        }
        return true;
    }

    /**
     * The letters of {@code n} coins from one RAIDA's outcome: {@code pass} where the coin passed,
     * {@code f} where it failed, {@code e} for any other status, the failure letter where the RAIDA
     * did not reply.
     *
     * @param o          the outcome
     * @param n          the coins of the request
     * @param pass       the letter of a pass
     * @param bitmapSkip bytes before the bitmap of a 243, or −1 when 243 is not an answer of the command
     * @return one letter per coin
     */
    static char[] letters(RaidaOutcome o, int n, char pass, int bitmapSkip) {
        char[] l = new char[n];
        if (!o.replied()) {
            Arrays.fill(l, o.failureLetter());
            return l;
        }
        int s = o.status();
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            Arrays.fill(l, pass);
        } else if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            Arrays.fill(l, 'f');
        } else if (s == StatusCode.STATUS_MIXED.code() && bitmapSkip >= 0) {
            byte[] bitmap = o.response().payload();
            for (int i = 0; i < n; i++) {
                l[i] = bit(bitmap, bitmapSkip, i) ? pass : 'f';
            }
        } else {
            Arrays.fill(l, 'e');
        }
        return l;
    }
}
