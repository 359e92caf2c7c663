package io.raida.protocol.cluster;

import io.raida.protocol.RaidaIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the 25 RAIDA list in one locker (8/83 peek, lockers.md §2): per RAIDA the coins it lists,
 * nothing for a RAIDA that did not answer 241 or 242, and the coins a quorum lists, which are the
 * coins a receiver takes (lockers.md §5).
 */
public final class LockerPeek {
    private final List<Optional<List<LockerCoin>>> listings;
    private final ClusterReply reply;

    LockerPeek(List<Optional<List<LockerCoin>>> listings, ClusterReply reply) {
        this.listings = List.copyOf(listings);
        this.reply = reply;
    }

    /**
     * The coins RAIDA {@code raidaId} lists, sorted; an empty list for an empty or unknown locker
     * (242); empty when that RAIDA gave no usable answer (no reply, an error status).
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the listing, or empty
     */
    public Optional<List<LockerCoin>> listing(int raidaId) {
        return listings.get(RaidaIds.requireRaidaId(raidaId));
    }

    /**
     * How many RAIDA list {@code coin}.
     *
     * @param coin the coin
     * @return the count, 0..25
     */
    public int listedBy(LockerCoin coin) {
        int n = 0;
        for (Optional<List<LockerCoin>> l : listings) {
            n += l.isPresent() && l.get().contains(coin) ? 1 : 0;
        }
        return n;
    }

    /**
     * The coins at least {@code minimum} RAIDA list, sorted by denomination, then serial number.
     *
     * @param minimum the fewest RAIDA listing a coin
     * @return the coins
     */
    public List<LockerCoin> coins(int minimum) {
        Map<LockerCoin, Integer> counts = new TreeMap<>();
        for (Optional<List<LockerCoin>> l : listings) {
            l.ifPresent(coins -> coins.forEach(c -> counts.merge(c, 1, Integer::sum)));
        }
        List<LockerCoin> out = new ArrayList<>();
        counts.forEach((c, n) -> {
            if (n >= minimum) {
                out.add(c);
            }
        });
        return Collections.unmodifiableList(out);
    }

    /**
     * The coins a quorum (13) of RAIDA lists: what a receiver removes.
     *
     * @return the coins
     */
    public List<LockerCoin> coins() {
        return coins(Grade.QUORUM);
    }

    /**
     * RAIDA that answered the peek (241 or 242).
     *
     * @return the count, 0..25
     */
    public int answered() {
        return (int) listings.stream().filter(Optional::isPresent).count();
    }

    /**
     * The fan-out behind it.
     *
     * @return the reply
     */
    public ClusterReply reply() {
        return reply;
    }

    @Override
    public String toString() {
        return "LockerPeek[" + coins().size() + " coin(s) listed by a quorum, " + answered() + " RAIDA answered]";
    }
}
