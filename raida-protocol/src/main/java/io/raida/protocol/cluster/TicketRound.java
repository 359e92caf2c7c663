package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * get_ticket (2/40) over all 25 RAIDA for a batch of coins (healing.md §3): each RAIDA answers as
 * detect does and, when a coin passed, with a ticket (u32) naming the coins that passed there. The
 * tickets of one request form a {@link TicketBook}, what a fix at another RAIDA redeems.
 */
final class TicketRound {
    /** 2/40. */
    static final int GET_TICKET = 40;
    /** A ticket is a u32. */
    static final int TICKET_BYTES = 4;

    private TicketRound() {
    }

    /**
     * Takes tickets for {@code coins}, one book per request the batch is split into.
     *
     * @param cluster  the cluster
     * @param requests how to key the requests
     * @param coins    the coins, checked
     * @return the books, in order
     */
    static CompletableFuture<List<TicketBook>> take(RaidaCluster cluster, KeyedRequests requests, List<Coin> coins) {
        return CoinBatch.send(cluster, requests.overhead(), CoinAuthenticator.Command.DETECT.record, 0, coins.size(),
                (from, to) -> requests.call(2, GET_TICKET, id -> CoinAuthenticator.payload(
                                CoinAuthenticator.Command.DETECT, coins, null, null, from, to, id))
                        .replyCheck((id, r) -> plausible(r, to - from)).build(),
                chunks -> {
                    List<TicketBook> books = new ArrayList<>();
                    for (CoinBatch.Chunk chunk : chunks) {
                        books.add(book(coins, chunk));
                    }
                    return books;
                });
    }

    private static TicketBook book(List<Coin> coins, CoinBatch.Chunk chunk) {
        int n = chunk.size();
        long[] tickets = new long[RaidaNetwork.SIZE];
        boolean[][] covers = new boolean[RaidaNetwork.SIZE][n];
        char[][] letters = new char[n][RaidaNetwork.SIZE];
        for (RaidaOutcome o : chunk.reply().outcomes()) {
            int r = o.raidaId();
            char[] l = letters(o, n);
            for (int j = 0; j < n; j++) {
                letters[j][r] = l[j];
                covers[r][j] = l[j] == 'p';
            }
            if (o.replied() && (o.status() == StatusCode.STATUS_ALL_PASS.code()
                    || o.status() == StatusCode.STATUS_MIXED.code())) {
                byte[] p = o.response().payload();
                tickets[r] = Bytes.u32(p, p.length - TICKET_BYTES);
            }
            if (tickets[r] == 0) {
                // T = 0 in a fix means "no ticket from this RAIDA" (healing.md §3): it vouches for no coin
                Arrays.fill(covers[r], false);
            }
        }
        List<Coin> bookCoins = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            bookCoins.add(coins.get(chunk.from() + j).withPown(PownString.ofChars(letters[j])));
        }
        return new TicketBook(bookCoins, tickets, covers, chunk.reply());
    }

    /**
     * @param o one RAIDA's outcome
     * @param n the coins of the request
     * @return the POWN letters of the coins there
     */
    static char[] letters(RaidaOutcome o, int n) {
        return PassFailReply.letters(o, n, 'p', 0);
    }

    /**
     * get_ticket: 241 with a ticket, 242 without a body, 243 with a bitmap and a ticket.
     *
     * @param r the reply
     * @param n the coins of the request
     * @return whether the body fits the status
     */
    static boolean plausible(RaidaResponse r, int n) {
        return PassFailReply.plausible(r, n, true, TICKET_BYTES);
    }
}
