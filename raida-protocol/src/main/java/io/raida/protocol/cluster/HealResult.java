package io.raida.protocol.cluster;

import java.util.List;

/**
 * The result of {@link CoinHealer#heal}.
 *
 * @param coins  one per coin, in the order given
 * @param rounds ticket-and-fix rounds it took (0 when every coin was authentic after find)
 */
public record HealResult(List<HealedCoin> coins, int rounds) {

    /**
     * Copies the list.
     *
     * @param coins one per coin, in the order given
     * @param rounds ticket-and-fix rounds it took (0 when every coin was authentic after find)
     */
    public HealResult {
        coins = List.copyOf(coins);
    }

    /**
     * True when every coin is authentic under the healer's policy.
     *
     * @return {@code true} if every coin is authentic
     */
    public boolean allAuthentic() {
        return coins.stream().allMatch(c -> c.grade() == Grade.AUTHENTIC);
    }
}
