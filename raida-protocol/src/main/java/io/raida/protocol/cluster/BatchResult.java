package io.raida.protocol.cluster;

import java.util.List;

/**
 * The result of detect or pown for a batch of coins.
 *
 * @param coins   one result per coin, in the order given
 * @param replies the fan-outs it took, one per request the batch was split into
 */
public record BatchResult(List<CoinResult> coins, List<ClusterReply> replies) {

    /**
     * Copies the lists.
     *
     * @param coins one result per coin, in the order given
     * @param replies the fan-outs it took, one per request the batch was split into
     */
    public BatchResult {
        coins = List.copyOf(coins);
        replies = List.copyOf(replies);
    }

    /**
     * True when every coin is authentic or fracked.
     *
     * @return {@code true} if no coin is counterfeit or in limbo
     */
    public boolean allGood() {
        return coins.stream().allMatch(c -> c.grade() == Grade.AUTHENTIC || c.grade() == Grade.FRACKED);
    }
}
