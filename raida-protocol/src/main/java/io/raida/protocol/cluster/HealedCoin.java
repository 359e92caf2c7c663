package io.raida.protocol.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One coin after {@link CoinHealer#heal}.
 *
 * @param coin    the coin with the ANs it now holds on each RAIDA and its POWN string
 * @param grade   its grade under the healer's {@link GradingPolicy}
 * @param fixedOn RAIDA that re-keyed it (its AN there is new)
 * @param pans    empty when every outcome is known; otherwise 25 PANs to keep in the coin file
 *                (auth.md §5 flag bit 0): where a find stayed unanswered, or a fix whose reply was
 *                lost may still be applied, the AN the RAIDA may hold; elsewhere the coin's AN. A
 *                later heal resolves them with find
 */
public record HealedCoin(Coin coin, Grade grade, List<Integer> fixedOn, List<byte[]> pans) {

    /**
     * Copies the lists.
     *
     * @param coin the coin with the ANs it now holds on each RAIDA and its POWN string
     * @param grade its grade under the healer's {@link GradingPolicy}
     * @param fixedOn RAIDA that re-keyed it (its AN there is new)
     * @param pans empty when every outcome is known; otherwise 25 PANs to keep in the coin file (auth.md §5 flag bit
     *       0): where a find stayed unanswered, or a fix whose reply was lost may still be applied, the AN the RAIDA
     *       may hold; elsewhere the coin's AN. A later heal resolves them with find
     */
    public HealedCoin {
        Objects.requireNonNull(coin, "coin");
        Objects.requireNonNull(grade, "grade");
        fixedOn = List.copyOf(fixedOn);
        pans = pans.isEmpty() ? List.of() : List.copyOf(java.util.Arrays.asList(Coin.copyAns(pans)));
    }

    /**
     * Copies of the PANs.
     *
     * @return new arrays, empty when there are none
     */
    @Override
    public List<byte[]> pans() {
        return pans.isEmpty() ? List.of() : java.util.Arrays.asList(Coin.copyAns(pans));
    }

    /**
     * The coin file to write: the coin, and the PANs when some outcome is still unknown.
     *
     * @return the coin file
     */
    public CoinFile toCoinFile() {
        return new CoinFile(coin, pans);
    }

    @Override
    public String toString() {
        return "HealedCoin[" + coin + ", " + grade.word() + ", fixed on " + fixedOn + (pans.isEmpty() ? "" : ", with PANs")
                + "]";
    }
}
