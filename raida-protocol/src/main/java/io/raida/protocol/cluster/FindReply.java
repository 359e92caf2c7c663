package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;
import java.util.Arrays;

/**
 * Reading a find (2/60) reply (healing.md §3): 209 every coin holds its AN, 210 every coin its
 * PAN, 208 neither, 211 one byte per coin (1 AN, 2 PAN, 0 neither). The healer and the locker
 * recovery both ask find; this is how both read it.
 */
final class FindReply {
    private FindReply() {
    }

    /**
     * What RAIDA {@code o} holds for coin {@code j}.
     *
     * @param o the outcome of the RAIDA
     * @param j the coin in the request
     * @return AN, PAN or NEITHER; UNKNOWN without a reply or with another status
     */
    static FindResult.Match match(RaidaOutcome o, int j) {
        return matches(o, j + 1)[j];
    }

    /**
     * What RAIDA {@code o} holds for each of the first {@code n} coins, reading a 211 payload once
     * (it is copied on every read).
     *
     * @param o the outcome of the RAIDA
     * @param n the coins of the request
     * @return per coin AN, PAN or NEITHER; UNKNOWN without a reply or with another status
     */
    static FindResult.Match[] matches(RaidaOutcome o, int n) {
        FindResult.Match[] m = new FindResult.Match[n];
        int s = o.replied() ? o.status() : -1;
        if (s != StatusCode.STATUS_FIND_MIXED.code()) {
            Arrays.fill(m, s == StatusCode.STATUS_FIND_ALL_AN.code() ? FindResult.Match.AN
                    : s == StatusCode.STATUS_FIND_ALL_PAN.code() ? FindResult.Match.PAN
                    : s == StatusCode.STATUS_FIND_NEITHER.code() ? FindResult.Match.NEITHER
                    : FindResult.Match.UNKNOWN);
            return m;
        }
        byte[] p = o.response().payload();
        for (int j = 0; j < n; j++) {
            m[j] = p[j] == 1 ? FindResult.Match.AN : p[j] == 2 ? FindResult.Match.PAN : FindResult.Match.NEITHER;
        }
        return m;
    }

    /**
     * Whether a 211 carries exactly one byte of 0, 1 or 2 per coin; with {@code emptyOtherwise},
     * also that 208/209/210 carry no body.
     *
     * @param r              the reply
     * @param n              the coins of the request
     * @param emptyOtherwise whether a body on 208/209/210 makes the reply implausible
     * @return whether it is plausible
     */
    static boolean plausible(RaidaResponse r, int n, boolean emptyOtherwise) {
        byte[] p = r.payload();
        int s = r.status();
        if (s == StatusCode.STATUS_FIND_MIXED.code()) {
            if (p.length != n) {
                return false;
            }
            for (byte b : p) {
                if (b < 0 || b > 2) {
                    return false;
                }
            }
            return true;
        }
        if (emptyOtherwise && (s == StatusCode.STATUS_FIND_NEITHER.code() || s == StatusCode.STATUS_FIND_ALL_AN.code()
                || s == StatusCode.STATUS_FIND_ALL_PAN.code())) {
            return p.length == 0;
        }
        return true;
    }
}
