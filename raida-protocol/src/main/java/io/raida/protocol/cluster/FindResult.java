package io.raida.protocol.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of find (2/60) for a batch of coins on the 25 RAIDA.
 *
 * @param coins   per coin (in the order given) the coin with, per RAIDA, the AN it holds there
 *                (the PAN where the PAN matched) and the POWN letter of the answer: {@code p} for
 *                AN or PAN, {@code f} for neither, {@code e}, {@code n}, {@code b} otherwise
 * @param matches per coin, 25 matches (RAIDA 0 first)
 * @param replies the fan-outs it took, one per request the batch was split into
 */
public record FindResult(List<Coin> coins, List<List<Match>> matches, List<ClusterReply> replies) {

    /** What a RAIDA holds for a coin, as find tells. */
    public enum Match {
        /** The stored AN is the AN sent (1). */
        AN,
        /** The stored AN is the PAN sent (2). */
        PAN,
        /** Neither (0). */
        NEITHER,
        /** No usable answer: an error status, no reply or a broken reply. */
        UNKNOWN
    }

    /**
     * Copies the lists.
     *
     * @param coins per coin (in the order given) the coin with, per RAIDA, the AN it holds there (the PAN where the
     *       PAN matched) and the POWN letter of the answer: {@code p} for AN or PAN, {@code f} for neither, {@code
     *       e}, {@code n}, {@code b} otherwise
     * @param matches per coin, 25 matches (RAIDA 0 first)
     * @param replies the fan-outs it took, one per request the batch was split into
     */
    public FindResult {
        coins = List.copyOf(coins);
        List<List<Match>> m = new ArrayList<>(matches.size());
        for (List<Match> l : matches) {
            m.add(List.copyOf(l));
        }
        matches = List.copyOf(m);
        replies = List.copyOf(replies);
    }

    /**
     * The match of coin {@code coin} (index in the batch) at RAIDA {@code raidaId}.
     *
     * @param coin the coin's index in the batch
     * @param raidaId the RAIDA id, 0..24
     * @return the match
     */
    public Match match(int coin, int raidaId) {
        return matches.get(coin).get(io.raida.protocol.RaidaIds.requireRaidaId(raidaId));
    }
}
