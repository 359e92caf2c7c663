package io.raida.protocol.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The tickets of one get_ticket (2/40) request on the 25 RAIDA (healing.md §1): per RAIDA the
 * ticket number (0 for none) and which of the request's coins it lists. A batch larger than one
 * request gets one book per request. Tickets are one-shot per fixing RAIDA: a book serves one fix
 * at each RAIDA, and {@link CoinHealer#fix} refuses to use it twice at the same RAIDA.
 */
public final class TicketBook {
    private final List<Coin> coins;
    private final long[] tickets;
    private final boolean[][] covers;
    private final ClusterReply reply;
    private final boolean[] used = new boolean[RaidaNetwork.SIZE];

    TicketBook(List<Coin> coins, long[] tickets, boolean[][] covers, ClusterReply reply) {
        this.coins = List.copyOf(coins);
        this.tickets = tickets.clone();
        this.covers = covers;
        this.reply = reply;
    }

    /**
     * The request's coins with the POWN letters of the get_ticket answers.
     *
     * @return the coins
     */
    public List<Coin> coins() {
        return coins;
    }

    /**
     * The ticket of RAIDA {@code raidaId}, 0 when it issued none (all failed, an error or no reply).
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the ticket, or 0
     */
    public long ticket(int raidaId) {
        return tickets[io.raida.protocol.RaidaIds.requireRaidaId(raidaId)];
    }

    /**
     * True when the ticket of RAIDA {@code raidaId} lists coin {@code coin} (index in {@link #coins()}).
     *
     * @param raidaId the RAIDA id, 0..24
     * @param coin the coin's index
     * @return {@code true} if covered
     */
    public boolean covers(int raidaId, int coin) {
        return covers[io.raida.protocol.RaidaIds.requireRaidaId(raidaId)][coin];
    }

    /**
     * Indices of the coins the ticket of RAIDA {@code raidaId} lists.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the indices
     */
    public List<Integer> coinsCoveredBy(int raidaId) {
        List<Integer> l = new ArrayList<>();
        for (int c = 0; c < coins.size(); c++) {
            if (covers(raidaId, c)) {
                l.add(c);
            }
        }
        return l;
    }

    /**
     * RAIDA other than {@code fixingRaida} whose ticket lists coin {@code coin}: the votes a fix there can get.
     *
     * @param coin the coin's index
     * @param fixingRaida the RAIDA that fixes
     * @return the count
     */
    public int vouchers(int coin, int fixingRaida) {
        int n = 0;
        for (int r = 0; r < RaidaNetwork.SIZE; r++) {
            n += r != fixingRaida && covers[r][coin] ? 1 : 0;
        }
        return n;
    }

    /**
     * The fan-out of the request.
     *
     * @return the reply
     */
    public ClusterReply reply() {
        return reply;
    }

    /**
     * Whether a fix at RAIDA {@code raidaId} has used these tickets.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return {@code true} if used
     */
    public synchronized boolean usedAt(int raidaId) {
        return used[io.raida.protocol.RaidaIds.requireRaidaId(raidaId)];
    }

    /** Marks the tickets used by a fix at {@code raidaId}; refuses a second use there. */
    synchronized void claim(int raidaId) {
        if (used[raidaId]) {
            throw new IllegalStateException("these tickets were already sent in a fix to RAIDA " + raidaId
                    + " (a ticket is redeemed once per fixing RAIDA): get new tickets");
        }
        used[raidaId] = true;
    }

    /** The 25 ticket numbers (copy). */
    long[] numbers() {
        return tickets.clone();
    }

    @Override
    public String toString() {
        int issued = 0;
        for (long t : tickets) {
            issued += t != 0 ? 1 : 0;
        }
        return "TicketBook[" + coins.size() + " coins, " + issued + " tickets]";
    }
}
