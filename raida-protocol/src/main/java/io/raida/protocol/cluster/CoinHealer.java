package io.raida.protocol.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Heals coins over the 25 RAIDA (healing.md): the client calls find (2/60), get_ticket (2/40) and
 * fix (2/80), and {@link #heal} that combines them.
 *
 * <p>find and get_ticket go to all 25 RAIDA through the {@link RaidaCluster} (its deadline,
 * attempts and transport policy). A fix goes only to its target RAIDA, over TCP, in one attempt
 * bounded by {@link #fixTimeout()} (default 100 s: a fixing RAIDA waits on its peers): a retry
 * would re-send tickets the first attempt may already have redeemed, and a fix whose reply is lost
 * is resolved with find, never guessed.
 *
 * <pre>{@code
 * HealResult healed = CoinHealer.unencrypted(cluster).heal(coins);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with}-methods return configured copies.
 */
public final class CoinHealer {
    private final RaidaCluster cluster;
    private final KeyCoin key;
    private final GradingPolicy policy;
    private final Duration fixTimeout;
    private final int maxRounds;
    private final HealListener listener;

    private CoinHealer(RaidaCluster cluster, KeyCoin key, GradingPolicy policy, Duration fixTimeout, int maxRounds,
                       HealListener listener) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.key = key;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.fixTimeout = fixTimeout;
        this.maxRounds = maxRounds;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Unencrypted (type 0) requests; ANs, PANs and PGs travel in clear (prefer a key coin).
     *
     * @param cluster the cluster to send through
     * @return a healer with the standard policy, a 100 s fix timeout and 3 rounds
     */
    public static CoinHealer unencrypted(RaidaCluster cluster) {
        return new CoinHealer(cluster, null, GradingPolicy.standard(), Duration.ofSeconds(100), 3, new HealListener() {
        });
    }

    /**
     * Requests encrypted with {@code key} (type 1 or 4; the key coin must be authentic on each RAIDA).
     *
     * @param cluster the cluster to send through
     * @param key     the key coin
     * @return a healer with the standard policy, a 100 s fix timeout and 3 rounds
     */
    public static CoinHealer keyedWith(RaidaCluster cluster, KeyCoin key) {
        return unencrypted(cluster).withKey(Objects.requireNonNull(key, "key"));
    }

    private CoinHealer withKey(KeyCoin k) {
        return new CoinHealer(cluster, k, policy, fixTimeout, maxRounds, listener);
    }

    /**
     * This healer with another grading policy (default {@link GradingPolicy#standard()}).
     *
     * @param p the policy
     * @return a configured copy
     */
    public CoinHealer withPolicy(GradingPolicy p) {
        return new CoinHealer(cluster, key, p, fixTimeout, maxRounds, listener);
    }

    /**
     * This healer with another timeout for one fix request (default 100 s, healing.md §4).
     *
     * @param timeout positive
     * @return a configured copy
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public CoinHealer withFixTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the fix timeout must be positive, got " + timeout);
        }
        return new CoinHealer(cluster, key, policy, timeout, maxRounds, listener);
    }

    /**
     * This healer with another bound on ticket-and-fix rounds, 1..10 (default 3).
     *
     * @param rounds 1..10
     * @return a configured copy
     * @throws IllegalArgumentException if out of range
     */
    public CoinHealer withMaxRounds(int rounds) {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("maxRounds must be 1..10, got " + rounds);
        }
        return new CoinHealer(cluster, key, policy, fixTimeout, rounds, listener);
    }

    /**
     * This healer reporting each step to {@code l}.
     *
     * @param l the listener
     * @return a configured copy
     */
    public CoinHealer withListener(HealListener l) {
        return new CoinHealer(cluster, key, policy, fixTimeout, maxRounds, l);
    }

    /**
     * The grading policy.
     *
     * @return the policy that decides which coins to heal and where
     */
    public GradingPolicy policy() {
        return policy;
    }

    /**
     * The timeout of one fix request.
     *
     * @return the timeout
     */
    public Duration fixTimeout() {
        return fixTimeout;
    }

    /**
     * The bound on ticket-and-fix rounds.
     *
     * @return 1..10
     */
    public int maxRounds() {
        return maxRounds;
    }

    private static List<Coin> requireCoins(List<Coin> coins) {
        return CoinBatch.requireCoins(coins, "no coins given");
    }

    /**
     * find (2/60): does each RAIDA hold the coin's AN, its PAN, or neither? Where the PAN matched,
     * the returned coin holds the PAN as its AN.
     *
     * @param coins the coins (their ANs)
     * @param pans  per coin, 25 PANs (RAIDA 0 first)
     * @return per coin and RAIDA the match, and the coins with what each RAIDA holds
     * @throws IllegalArgumentException if no coin is given, the PAN sets are not one per coin, or
     *                                  the body limit cannot hold one coin
     */
    public CompletableFuture<FindResult> find(List<Coin> coins, List<List<byte[]>> pans) {
        List<Coin> list = requireCoins(coins);
        return FindRound.find(cluster, new KeyedRequests(key), list, CoinBatch.copyPans(list.size(), pans));
    }

    /**
     * get_ticket (2/40) on all 25 RAIDA, each with the AN held for it: per RAIDA a ticket listing
     * the coins that passed there. One {@link TicketBook} per request the batch was split into.
     * Every request with a passing coin takes a slot of the RAIDA's ticket pool: use it to heal,
     * not to detect.
     *
     * @param coins the coins (their ANs)
     * @return the ticket books, in the order of the coins
     * @throws IllegalArgumentException if no coin is given or the body limit cannot hold one coin
     */
    public CompletableFuture<List<TicketBook>> getTickets(List<Coin> coins) {
        return TicketRound.take(cluster, new KeyedRequests(key), requireCoins(coins));
    }

    /**
     * Coins one fix request can hold: a fix cannot be split, since a second request would reuse its tickets.
     *
     * @param key the key coin, or {@code null} for unencrypted requests
     * @return the most coins of one fix (13 080 unencrypted, healing.md)
     */
    public static int maxCoinsPerFix(KeyCoin key) {
        return FixRequest.maxCoins(key);
    }

    /**
     * fix (2/80) at RAIDA {@code raidaId}: asks it to redeem the 25 tickets of {@code tickets} with
     * their issuers and to re-key each coin that at least 13 other RAIDA vouch for, to
     * {@code MD5(raidaId ‖ den ‖ SN ‖ pg)}. One request over TCP, no retry, bounded by
     * {@link #fixTimeout()}. Keep {@code pg} (or the expected ANs) before calling: a lost reply
     * gives {@link FixResult.Fixed#UNKNOWN}.
     *
     * @param raidaId the RAIDA to fix at, 0..24
     * @param coins   the coins to fix there
     * @param tickets the tickets the other RAIDA issued for these coins
     * @param pg      the 16-byte PG the new ANs derive from
     * @return per coin whether it was fixed, with its expected new AN
     * @throws IllegalStateException    if {@code tickets} were already used in a fix at this RAIDA
     * @throws IllegalArgumentException if the coins do not fit one request or the PG is not 16 bytes
     */
    public CompletableFuture<FixResult> fix(int raidaId, List<Coin> coins, TicketBook tickets, byte[] pg) {
        return FixRequest.send(cluster, key, fixTimeout, raidaId, coins, tickets, pg);
    }

    /**
     * {@link #heal(List, List)} for coins without PANs.
     *
     * @param coins the coins, with the ANs and POWN strings the client holds
     * @return the coins as the heal left them, and the rounds it took
     * @throws InterruptedException if interrupted (what was learned so far is lost: heal again)
     */
    public HealResult heal(List<Coin> coins) throws InterruptedException {
        return heal(coins, Collections.nCopies(requireCoins(coins).size(), null));
    }

    /**
     * {@link #heal(List, List)} for coin files: a file's PANs mark its coin as in limbo.
     *
     * @param files the coin files
     * @return the coins as the heal left them, and the rounds it took
     * @throws InterruptedException if interrupted (what was learned so far is lost: heal again)
     */
    public HealResult healFiles(List<CoinFile> files) throws InterruptedException {
        List<Coin> coins = new ArrayList<>();
        List<List<byte[]>> pans = new ArrayList<>();
        for (CoinFile f : Objects.requireNonNull(files, "files")) {
            coins.add(f.coin());
            pans.add(f.hasPans() ? f.pans() : null);
        }
        return heal(coins, pans);
    }

    /**
     * Heals the coins (healing.md §4). Coins with PANs are in limbo: find first tells per RAIDA
     * whether it holds the AN or the PAN, and the coin adopts what it holds. Then, in rounds while
     * a coin is not authentic under the policy and the number of RAIDA to fix goes down (at most
     * {@link #maxRounds()}): new tickets from every RAIDA, a fix with a fresh PG at each RAIDA where
     * a coin fails and at least 13 other tickets list it, the new AN of every fixed coin computed
     * locally; a fix whose reply was lost is resolved with find. Coins already authentic under the
     * policy (by the POWN strings given: detect first) are left alone. Blocks the calling thread; an
     * interrupt cancels the requests in flight. The listener hears of every fix of a round
     * ({@link HealListener#fixing}) before any is sent; an exception it throws ends the heal there.
     *
     * @param coins the coins, with the ANs and POWN strings the client holds
     * @param pans  per coin 25 PANs, or {@code null} for a coin not in limbo
     * @return the coins as the heal left them, and the rounds it took
     * @throws InterruptedException if interrupted (what was learned so far is lost: heal again)
     */
    public HealResult heal(List<Coin> coins, List<List<byte[]>> pans) throws InterruptedException {
        List<Coin> list = requireCoins(coins);
        Objects.requireNonNull(pans, "pans");
        if (pans.size() != list.size()) {
            throw new IllegalArgumentException(list.size() + " coins but " + pans.size() + " PAN sets");
        }
        return new HealWalk(this, listener, list, pans).run(maxRounds);
    }
}
