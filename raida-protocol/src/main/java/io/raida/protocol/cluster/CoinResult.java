package io.raida.protocol.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One coin after detect or pown.
 *
 * @param coin     the coin with its new POWN string and, after pown, the new AN on every RAIDA that took it
 * @param grade    its grade (auth.md §3)
 * @param newAnOn  RAIDA that took the new AN (pown and pown_sum; empty for detect)
 */
public record CoinResult(Coin coin, Grade grade, List<Integer> newAnOn) {

    /**
     * Copies the list.
     *
     * @param coin the coin with its new POWN string and, after pown, the new AN on every RAIDA that took it
     * @param grade its grade (auth.md §3)
     * @param newAnOn RAIDA that took the new AN (pown and pown_sum; empty for detect)
     */
    public CoinResult {
        Objects.requireNonNull(coin, "coin");
        Objects.requireNonNull(grade, "grade");
        newAnOn = List.copyOf(newAnOn);
    }

    /**
     * The coin's POWN string.
     *
     * @return the POWN string
     */
    public PownString pown() {
        return coin.pown();
    }
}
