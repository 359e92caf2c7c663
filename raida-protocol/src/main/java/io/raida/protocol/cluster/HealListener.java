package io.raida.protocol.cluster;

import java.util.List;

/**
 * Hears each step of {@link CoinHealer#heal}. Called on the healing thread, in order; every method
 * has an empty default. {@link #fixing} is called for every fix of a round before any of them is
 * sent: the place to keep the PG (or the expected ANs as PANs) where a crash cannot lose it; an
 * exception thrown there ends the heal with none of that round's fixes sent.
 */
public interface HealListener {

    /**
     * find (2/60) answered for the coins in limbo (round 0) or to resolve fixes whose reply was lost.
     *
     * @param round the round, 0 for the first find
     * @param result the answers
     */
    default void found(int round, FindResult result) {
    }

    /**
     * get_ticket (2/40) answered: one book per request.
     *
     * @param round the round, 1 or more
     * @param books the ticket books
     */
    default void ticketsTaken(int round, List<TicketBook> books) {
    }

    /**
     * A fix is about to be sent.
     *
     * @param round   1..maxRounds
     * @param raidaId the fixing RAIDA
     * @param coins   the coins to fix there
     * @param pg      the PG (16 bytes, a copy): the new AN there will be {@link HealingKeys#newAn}
     */
    default void fixing(int round, int raidaId, List<Coin> coins, byte[] pg) {
    }

    /**
     * A fix ended.
     *
     * @param round the round, 1 or more
     * @param result what the fix did
     */
    default void fixed(int round, FixResult result) {
    }

    /**
     * A round ended; {@code coins} are all coins of the batch as they stand now.
     *
     * @param round the round
     * @param coins the coins of the batch
     */
    default void roundEnded(int round, List<HealedCoin> coins) {
    }
}
