package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;

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
        if (!o.replied()) {
            return FindResult.Match.UNKNOWN;
        }
        int s = o.status();
        if (s == StatusCode.STATUS_FIND_ALL_AN.code()) {
            return FindResult.Match.AN;
        }
        if (s == StatusCode.STATUS_FIND_ALL_PAN.code()) {
            return FindResult.Match.PAN;
        }
        if (s == StatusCode.STATUS_FIND_NEITHER.code()) {
            return FindResult.Match.NEITHER;
        }
        if (s == StatusCode.STATUS_FIND_MIXED.code()) {
            switch (o.response().payload()[j]) {
                case 1:
                    return FindResult.Match.AN;
                case 2:
                    return FindResult.Match.PAN;
                default:
                    return FindResult.Match.NEITHER;
            }
        }
        return FindResult.Match.UNKNOWN;
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
