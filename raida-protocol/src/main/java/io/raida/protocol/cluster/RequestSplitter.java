package io.raida.protocol.cluster;

import java.util.ArrayList;
import java.util.List;

/** Splits a batch of coins into requests whose bodies fit a size limit. */
final class RequestSplitter {
    private RequestSplitter() {
    }

    /**
     * Coins per request.
     *
     * @param recordSize bytes per coin in the payload
     * @param fixed      bytes after the coin records (XOR, DELTA)
     * @param overhead   body bytes besides the payload: 18 for types 0/1 (challenge, terminator), 34 for type 4
     * @param maxBody    largest body
     */
    static int coinsPerRequest(int recordSize, int fixed, int overhead, int maxBody) {
        int n = (maxBody - overhead - fixed) / recordSize;
        if (n < 1) {
            throw new IllegalArgumentException("a body limit of " + maxBody + " bytes cannot hold even one coin ("
                    + (overhead + fixed + recordSize) + " bytes needed)");
        }
        return n;
    }

    /** Ranges {@code [from, to)} of at most {@code perRequest} coins covering {@code coins}, as even as possible. */
    static List<int[]> split(int coins, int perRequest) {
        List<int[]> out = new ArrayList<>();
        if (coins == 0) {
            return out;
        }
        int requests = (coins + perRequest - 1) / perRequest;
        int base = coins / requests;
        int extra = coins % requests;
        int from = 0;
        for (int i = 0; i < requests; i++) {
            int n = base + (i < extra ? 1 : 0);
            out.add(new int[] {from, from + n});
            from += n;
        }
        return out;
    }
}
