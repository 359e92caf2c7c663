package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.client.ResponseVerificationException;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
    /** Body bytes besides the payload for types 0/1: challenge (16) and terminator (2). */
    private static final int LEGACY_OVERHEAD = 18;
    /** Body bytes besides the payload for type 4: HMAC (32) and terminator (2). */
    private static final int MODERN_OVERHEAD = 34;
    private static final int GET_TICKET = 40;
    private static final int FIND = 60;
    private static final int FIX = 80;
    private static final int TICKET_BYTES = 4;
    /** PG and 25 tickets after the coins of a fix. */
    private static final int FIX_FIXED = HealingKeys.PG_SIZE + RaidaNetwork.SIZE * TICKET_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** Unencrypted (type 0) requests; ANs, PANs and PGs travel in clear (prefer a key coin). */
    public static CoinHealer unencrypted(RaidaCluster cluster) {
        return new CoinHealer(cluster, null, GradingPolicy.standard(), Duration.ofSeconds(100), 3, new HealListener() {
        });
    }

    /** Requests encrypted with {@code key} (type 1 or 4; the key coin must be authentic on each RAIDA). */
    public static CoinHealer keyedWith(RaidaCluster cluster, KeyCoin key) {
        return unencrypted(cluster).withKey(Objects.requireNonNull(key, "key"));
    }

    private CoinHealer withKey(KeyCoin k) {
        return new CoinHealer(cluster, k, policy, fixTimeout, maxRounds, listener);
    }

    /** This healer with another grading policy (default {@link GradingPolicy#standard()}). */
    public CoinHealer withPolicy(GradingPolicy p) {
        return new CoinHealer(cluster, key, p, fixTimeout, maxRounds, listener);
    }

    /** This healer with another timeout for one fix request (default 100 s, healing.md §4). */
    public CoinHealer withFixTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the fix timeout must be positive, got " + timeout);
        }
        return new CoinHealer(cluster, key, policy, timeout, maxRounds, listener);
    }

    /** This healer with another bound on ticket-and-fix rounds, 1..10 (default 3). */
    public CoinHealer withMaxRounds(int rounds) {
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("maxRounds must be 1..10, got " + rounds);
        }
        return new CoinHealer(cluster, key, policy, fixTimeout, rounds, listener);
    }

    /** This healer reporting each step to {@code l}. */
    public CoinHealer withListener(HealListener l) {
        return new CoinHealer(cluster, key, policy, fixTimeout, maxRounds, l);
    }

    /** The grading policy. */
    public GradingPolicy policy() {
        return policy;
    }

    /** The timeout of one fix request. */
    public Duration fixTimeout() {
        return fixTimeout;
    }

    /** The bound on ticket-and-fix rounds. */
    public int maxRounds() {
        return maxRounds;
    }

    private int overhead() {
        return key != null && key.type() == EncryptionType.AES256_ONE_COIN ? MODERN_OVERHEAD : LEGACY_OVERHEAD;
    }

    // ---- find (2/60) ----

    /**
     * find (2/60): does each RAIDA hold the coin's AN, its PAN, or neither? Where the PAN matched,
     * the returned coin holds the PAN as its AN.
     *
     * @param coins the coins (their ANs)
     * @param pans  per coin, 25 PANs (RAIDA 0 first)
     */
    public CompletableFuture<FindResult> find(List<Coin> coins, List<List<byte[]>> pans) {
        List<Coin> list = requireCoins(coins);
        Objects.requireNonNull(pans, "pans");
        if (pans.size() != list.size()) {
            throw new IllegalArgumentException(list.size() + " coins but " + pans.size() + " PAN sets");
        }
        byte[][][] p = new byte[pans.size()][][];
        for (int i = 0; i < p.length; i++) {
            p[i] = Coin.copyAns(pans.get(i));
        }
        int per = RequestSplitter.coinsPerRequest(37, 0, overhead(), cluster.options().maxBodySize());
        List<int[]> chunks = RequestSplitter.split(list.size(), per);
        List<CompletableFuture<ClusterReply>> calls = new ArrayList<>();
        for (int[] range : chunks) {
            int from = range[0];
            int to = range[1];
            calls.add(cluster.call(fanOut(FIND, to - from, id -> CoinAuthenticator.payload(
                    CoinAuthenticator.Command.POWN, list, p, null, from, to, id))));
        }
        return all(calls).thenApply(replies -> {
            List<Coin> out = new ArrayList<>(list.size());
            List<List<FindResult.Match>> matches = new ArrayList<>(list.size());
            for (int k = 0; k < chunks.size(); k++) {
                int from = chunks.get(k)[0];
                int n = chunks.get(k)[1] - from;
                FindResult.Match[][] m = new FindResult.Match[n][RaidaNetwork.SIZE];
                char[][] letters = new char[n][RaidaNetwork.SIZE];
                for (RaidaOutcome o : replies.get(k).outcomes()) {
                    for (int j = 0; j < n; j++) {
                        m[j][o.raidaId()] = findMatch(o, j, n);
                        letters[j][o.raidaId()] = findLetter(o, m[j][o.raidaId()]);
                    }
                }
                for (int j = 0; j < n; j++) {
                    Coin c = list.get(from + j);
                    List<byte[]> ans = c.ans();
                    for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                        if (m[j][r] == FindResult.Match.PAN) {
                            ans.set(r, p[from + j][r]);
                        }
                    }
                    out.add(c.withAns(ans).withPown(PownString.ofChars(letters[j])));
                    matches.add(Arrays.asList(m[j]));
                }
            }
            return new FindResult(out, matches, replies);
        });
    }

    static FindResult.Match findMatch(RaidaOutcome o, int j, int n) {
        if (!o.replied()) {
            return FindResult.Match.UNKNOWN;
        }
        int s = o.status();
        if (s == StatusCode.STATUS_FIND_ALL_AN.code()) {
            return FindResult.Match.AN;
        }
        if (s == StatusCode.STATUS_FIND_ALL_PAN.code()) {
            return FindResult.Match.PAN;
        }
        if (s == StatusCode.STATUS_FIND_NEITHER.code()) {
            return FindResult.Match.NEITHER;
        }
        if (s == StatusCode.STATUS_FIND_MIXED.code()) {
            switch (o.response().payload()[j]) {
                case 1:
                    return FindResult.Match.AN;
                case 2:
                    return FindResult.Match.PAN;
                default:
                    return FindResult.Match.NEITHER;
            }
        }
        return FindResult.Match.UNKNOWN;
    }

    private static char findLetter(RaidaOutcome o, FindResult.Match m) {
        switch (m) {
            case AN:
            case PAN:
                return 'p';
            case NEITHER:
                return 'f';
            default:
                return o.replied() ? 'e' : o.failureLetter();
        }
    }

    /** find: 208/209/210 without a body, 211 with one byte 0..2 per coin. */
    static boolean findPlausible(RaidaResponse r, int n) {
        byte[] p = r.payload();
        int s = r.status();
        if (s == StatusCode.STATUS_FIND_MIXED.code()) {
            if (p.length != n) {
                return false;
            }
            for (byte b : p) {
                if (b < 0 || b > 2) {
                    return false;
                }
            }
            return true;
        }
        if (s == StatusCode.STATUS_FIND_NEITHER.code() || s == StatusCode.STATUS_FIND_ALL_AN.code()
                || s == StatusCode.STATUS_FIND_ALL_PAN.code()) {
            return p.length == 0;
        }
        return true;
    }

    // ---- get_ticket (2/40) ----

    /**
     * get_ticket (2/40) on all 25 RAIDA, each with the AN held for it: per RAIDA a ticket listing
     * the coins that passed there. One {@link TicketBook} per request the batch was split into.
     * Every request with a passing coin takes a slot of the RAIDA's ticket pool: use it to heal,
     * not to detect.
     */
    public CompletableFuture<List<TicketBook>> getTickets(List<Coin> coins) {
        List<Coin> list = requireCoins(coins);
        int per = RequestSplitter.coinsPerRequest(21, 0, overhead(), cluster.options().maxBodySize());
        List<int[]> chunks = RequestSplitter.split(list.size(), per);
        List<CompletableFuture<ClusterReply>> calls = new ArrayList<>();
        for (int[] range : chunks) {
            int from = range[0];
            int to = range[1];
            calls.add(cluster.call(fanOut(GET_TICKET, to - from, id -> CoinAuthenticator.payload(
                    CoinAuthenticator.Command.DETECT, list, null, null, from, to, id))));
        }
        return all(calls).thenApply(replies -> {
            List<TicketBook> books = new ArrayList<>();
            for (int k = 0; k < chunks.size(); k++) {
                int from = chunks.get(k)[0];
                int n = chunks.get(k)[1] - from;
                long[] tickets = new long[RaidaNetwork.SIZE];
                boolean[][] covers = new boolean[RaidaNetwork.SIZE][n];
                char[][] letters = new char[n][RaidaNetwork.SIZE];
                for (RaidaOutcome o : replies.get(k).outcomes()) {
                    int r = o.raidaId();
                    char[] l = ticketLetters(o, n);
                    for (int j = 0; j < n; j++) {
                        letters[j][r] = l[j];
                        covers[r][j] = l[j] == 'p';
                    }
                    if (o.replied() && (o.status() == StatusCode.STATUS_ALL_PASS.code()
                            || o.status() == StatusCode.STATUS_MIXED.code())) {
                        byte[] p = o.response().payload();
                        tickets[r] = u32(p, p.length - TICKET_BYTES);
                    }
                    if (tickets[r] == 0) {
                        Arrays.fill(covers[r], false);
                    }
                }
                List<Coin> bookCoins = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    bookCoins.add(list.get(from + j).withPown(PownString.ofChars(letters[j])));
                }
                books.add(new TicketBook(bookCoins, tickets, covers, replies.get(k)));
            }
            return books;
        });
    }

    static char[] ticketLetters(RaidaOutcome o, int n) {
        char[] l = new char[n];
        if (!o.replied()) {
            Arrays.fill(l, o.failureLetter());
            return l;
        }
        int s = o.status();
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            Arrays.fill(l, 'p');
        } else if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            Arrays.fill(l, 'f');
        } else if (s == StatusCode.STATUS_MIXED.code()) {
            byte[] bitmap = o.response().payload();
            for (int i = 0; i < n; i++) {
                l[i] = (bitmap[i / 8] >> (i % 8) & 1) != 0 ? 'p' : 'f';
            }
        } else {
            Arrays.fill(l, 'e');
        }
        return l;
    }

    /** get_ticket: 241 with a ticket, 242 without a body, 243 with a bitmap and a ticket. */
    static boolean ticketPlausible(RaidaResponse r, int n) {
        byte[] p = r.payload();
        int s = r.status();
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            return p.length == TICKET_BYTES;
        }
        if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            return p.length == 0;
        }
        if (s == StatusCode.STATUS_MIXED.code()) {
            return p.length == (n + 7) / 8 + TICKET_BYTES && bitmapPlausible(p, n);
        }
        return true;
    }

    /** A bitmap of {@code n} coins at the start of {@code p}: no bit beyond n, neither all nor none set. */
    static boolean bitmapPlausible(byte[] p, int n) {
        int passes = 0;
        for (int i = 0; i < (n + 7) / 8 * 8; i++) {
            boolean bit = (p[i / 8] >> (i % 8) & 1) != 0;
            if (bit && i >= n) {
                return false;
            }
            passes += bit ? 1 : 0;
        }
        return passes > 0 && passes < n;
    }

    // ---- fix (2/80) ----

    /** Coins one fix request can hold: a fix cannot be split, since a second request would reuse its tickets. */
    public static int maxCoinsPerFix(KeyCoin key) {
        int overhead = key != null && key.type() == EncryptionType.AES256_ONE_COIN ? MODERN_OVERHEAD : LEGACY_OVERHEAD;
        return RequestSplitter.coinsPerRequest(5, FIX_FIXED, overhead, RequestHeader.MAX_BODY_SIZE);
    }

    /**
     * fix (2/80) at RAIDA {@code raidaId}: asks it to redeem the 25 tickets of {@code tickets} with
     * their issuers and to re-key each coin that at least 13 other RAIDA vouch for, to
     * {@code MD5(raidaId ‖ den ‖ SN ‖ pg)}. One request over TCP, no retry, bounded by
     * {@link #fixTimeout()}. Keep {@code pg} (or the expected ANs) before calling: a lost reply
     * gives {@link FixResult.Fixed#UNKNOWN}.
     *
     * @throws IllegalStateException    if {@code tickets} were already used in a fix at this RAIDA
     * @throws IllegalArgumentException if the coins do not fit one request or the PG is not 16 bytes
     */
    public CompletableFuture<FixResult> fix(int raidaId, List<Coin> coins, TicketBook tickets, byte[] pg) {
        io.raida.protocol.RaidaIds.requireRaidaId(raidaId);
        List<Coin> list = requireCoins(coins);
        Objects.requireNonNull(tickets, "tickets");
        if (pg == null || pg.length != HealingKeys.PG_SIZE) {
            throw new IllegalArgumentException("a PG is 16 bytes, got " + (pg == null ? "null" : pg.length));
        }
        if (list.size() > maxCoinsPerFix(key)) {
            throw new IllegalArgumentException(list.size() + " coins do not fit one fix request (at most "
                    + maxCoinsPerFix(key) + ")");
        }
        byte[] payload = fixPayload(list, pg, tickets.numbers());
        tickets.claim(raidaId);
        byte[] seed = pg.clone();
        long start = System.nanoTime();
        CompletableFuture<KeystreamMode> mode = key != null && key.needsCalibration()
                ? cluster.keystream(raidaId, key, Transport.TCP, fixTimeout)
                : CompletableFuture.completedFuture(KeystreamMode.CONTINUE);
        CompletableFuture<RaidaResponse> sent = mode.thenCompose(m -> {
            RequestBuilder b = RequestBuilder.command(raidaId, 2, FIX).payload(payload);
            ClientRequest req = (key == null ? b : key.apply(b, raidaId, m)).build();
            cluster.inFlightCounter().incrementAndGet();
            CompletableFuture<RaidaResponse> f = cluster.client().send(cluster.network().endpoint(raidaId), req,
                    Transport.TCP, fixTimeout);
            f.whenComplete((r, e) -> cluster.inFlightCounter().decrementAndGet());
            return f;
        });
        CompletableFuture<FixResult> out = sent.handle((r, e) -> fixResult(raidaId, list, seed, r, e,
                mode.isCompletedExceptionally(), Duration.ofNanos(System.nanoTime() - start)));
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                mode.cancel(false);
                sent.cancel(false);
            }
        });
        return out;
    }

    static byte[] fixPayload(List<Coin> coins, byte[] pg, long[] tickets) {
        byte[] p = new byte[coins.size() * 5 + FIX_FIXED];
        int o = 0;
        for (Coin c : coins) {
            p[o] = (byte) c.denomination();
            putU32(p, o + 1, c.serialNumber());
            o += 5;
        }
        System.arraycopy(pg, 0, p, o, HealingKeys.PG_SIZE);
        o += HealingKeys.PG_SIZE;
        for (long t : tickets) {
            putU32(p, o, t);
            o += TICKET_BYTES;
        }
        return p;
    }

    private FixResult fixResult(int raidaId, List<Coin> coins, byte[] pg, RaidaResponse r, Throwable error,
                                boolean calibrationFailed, Duration latency) {
        int n = coins.size();
        List<FixResult.Fixed> fixed = new ArrayList<>(n);
        Throwable e = FanOut.unwrap(error);
        if (e == null) {
            int s = r.status();
            byte[] p = r.payload();
            boolean plausible = s == StatusCode.STATUS_MIXED.code()
                    ? p.length == (n + 7) / 8 && bitmapPlausible(p, n)
                    : s != StatusCode.STATUS_ALL_PASS.code() && s != StatusCode.STATUS_ALL_FAIL.code() || p.length == 0;
            if (plausible) {
                for (int i = 0; i < n; i++) {
                    boolean yes = s == StatusCode.STATUS_ALL_PASS.code()
                            || s == StatusCode.STATUS_MIXED.code() && (p[i / 8] >> (i % 8) & 1) != 0;
                    fixed.add(yes ? FixResult.Fixed.YES : FixResult.Fixed.NO);
                }
                return new FixResult(raidaId, coins, pg,
                        new RaidaOutcome(raidaId, RaidaOutcome.Kind.STATUS, r, Transport.TCP, 1, latency, ""), fixed);
            }
            return lost(raidaId, coins, pg, RaidaOutcome.Kind.VERIFICATION_FAILED, 1, latency,
                    "status " + r.status() + " with a payload that does not fit the request (" + p.length + " bytes)");
        }
        if (calibrationFailed) {
            // nothing was sent: the coins are as they were
            RaidaOutcome o = new RaidaOutcome(raidaId, kindOf(e), null, Transport.TCP, 0, latency,
                    "keystream calibration failed: " + e.getMessage());
            return new FixResult(raidaId, coins, pg, o, java.util.Collections.nCopies(n, FixResult.Fixed.NO));
        }
        RaidaOutcome.Kind kind = kindOf(e);
        if (kind == RaidaOutcome.Kind.REFUSED) {
            RaidaOutcome o = new RaidaOutcome(raidaId, kind, null, Transport.TCP, 1, latency, "TCP refused");
            return new FixResult(raidaId, coins, pg, o, java.util.Collections.nCopies(n, FixResult.Fixed.NO));
        }
        String detail = (kind == RaidaOutcome.Kind.TIMEOUT ? "no reply over TCP (fix timeout " + fixTimeout.toMillis()
                + " ms): " : "") + e.getMessage();
        return lost(raidaId, coins, pg, kind, 1, latency, detail);
    }

    private static FixResult lost(int raidaId, List<Coin> coins, byte[] pg, RaidaOutcome.Kind kind, int attempts,
                                  Duration latency, String detail) {
        RaidaOutcome o = new RaidaOutcome(raidaId, kind, null, Transport.TCP, attempts, latency, detail);
        return new FixResult(raidaId, coins, pg, o, java.util.Collections.nCopies(coins.size(), FixResult.Fixed.UNKNOWN));
    }

    private static RaidaOutcome.Kind kindOf(Throwable e) {
        if (e instanceof CancellationException) {
            return RaidaOutcome.Kind.CANCELLED;
        }
        if (e instanceof RaidaTimeoutException) {
            return RaidaOutcome.Kind.TIMEOUT;
        }
        if (FanOut.isRefused(e)) {
            return RaidaOutcome.Kind.REFUSED;
        }
        if (e instanceof ResponseVerificationException || e instanceof MalformedResponseException) {
            return RaidaOutcome.Kind.VERIFICATION_FAILED;
        }
        return RaidaOutcome.Kind.ERROR;
    }

    // ---- heal ----

    /** {@link #heal(List, List)} for coins without PANs. */
    public HealResult heal(List<Coin> coins) throws InterruptedException {
        return heal(coins, java.util.Collections.nCopies(requireCoins(coins).size(), null));
    }

    /** {@link #heal(List, List)} for coin files: a file's PANs mark its coin as in limbo. */
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
     * @throws InterruptedException if interrupted (what was learned so far is lost: heal again)
     */
    public HealResult heal(List<Coin> coins, List<List<byte[]>> pans) throws InterruptedException {
        List<Coin> list = requireCoins(coins);
        Objects.requireNonNull(pans, "pans");
        if (pans.size() != list.size()) {
            throw new IllegalArgumentException(list.size() + " coins but " + pans.size() + " PAN sets");
        }
        int n = list.size();
        Coin[] cur = list.toArray(new Coin[0]);
        byte[][][] open = new byte[n][][];
        List<List<Integer>> fixedOn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fixedOn.add(new ArrayList<>());
            if (pans.get(i) != null) {
                open[i] = Coin.copyAns(pans.get(i));
            }
        }
        boolean[][] held = new boolean[n][RaidaNetwork.SIZE];
        List<Integer> limbo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (open[i] != null) {
                limbo.add(i);
            }
        }
        if (!limbo.isEmpty()) {
            resolve(0, limbo, cur, open, held);
        }
        int rounds = 0;
        for (int round = 1; round <= maxRounds; round++) {
            List<Integer> need = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Grade g = policy.grade(cur[i].pown());
                if (g != Grade.AUTHENTIC && (round == 1 || g == Grade.FRACKED)) {
                    need.add(i);
                }
            }
            if (need.isEmpty()) {
                break;
            }
            rounds = round;
            List<Coin> needCoins = new ArrayList<>();
            need.forEach(i -> needCoins.add(cur[i]));
            List<TicketBook> books = await(getTickets(needCoins));
            listener.ticketsTaken(round, books);
            int k = 0;
            for (TicketBook b : books) {
                for (Coin c : b.coins()) {
                    cur[need.get(k++)] = c;
                }
            }
            int before = toFix(need, cur);
            // plan every fix and tell the listener before any is sent: if keeping a PG fails, nothing went out
            List<Runnable> sends = new ArrayList<>();
            List<CompletableFuture<FixResult>> fixes = new ArrayList<>();
            List<int[]> fixCoins = new ArrayList<>();
            k = 0;
            for (TicketBook b : books) {
                int base = k;
                k += b.coins().size();
                for (int j = 0; j < RaidaNetwork.SIZE; j++) {
                    List<Coin> here = new ArrayList<>();
                    List<Integer> idx = new ArrayList<>();
                    for (int c = 0; c < b.coins().size(); c++) {
                        int i = need.get(base + c);
                        // not where a lost fix may still be applied: a second PG there would race it
                        if (policy.targets(cur[i].pown())[j] && !held[i][j] && b.vouchers(c, j) >= Grade.QUORUM) {
                            here.add(cur[i]);
                            idx.add(i);
                        }
                    }
                    if (here.isEmpty()) {
                        continue;
                    }
                    byte[] pg = new byte[HealingKeys.PG_SIZE];
                    RANDOM.nextBytes(pg);
                    listener.fixing(round, j, List.copyOf(here), pg.clone());
                    int target = j;
                    sends.add(() -> fixes.add(fix(target, here, b, pg)));
                    fixCoins.add(idx.stream().mapToInt(Integer::intValue).toArray());
                }
            }
            if (sends.isEmpty()) {
                listener.roundEnded(round, snapshot(cur, open, fixedOn));
                break;
            }
            sends.forEach(Runnable::run);
            List<Integer> unresolved = new ArrayList<>();
            List<int[]> lostAt = new ArrayList<>();
            for (int f = 0; f < fixes.size(); f++) {
                FixResult r;
                try {
                    r = await(fixes.get(f));
                } catch (InterruptedException e) {
                    fixes.forEach(x -> x.cancel(false));
                    throw e;
                }
                listener.fixed(round, r);
                int[] idx = fixCoins.get(f);
                int j = r.raidaId();
                for (int c = 0; c < idx.length; c++) {
                    int i = idx[c];
                    if (r.fixed(c) == FixResult.Fixed.YES) {
                        cur[i] = setAn(cur[i], j, r.expectedAn(c), 'p');
                        fixedOn.get(i).add(j);
                        if (open[i] != null) {
                            // the new AN there is known: a PAN left open for that RAIDA is moot
                            open[i][j] = r.expectedAn(c);
                            if (!anyOpen(open[i], cur[i])) {
                                open[i] = null;
                            }
                        }
                    } else if (r.fixed(c) == FixResult.Fixed.UNKNOWN) {
                        // the RAIDA may hold the new AN: keep it as a PAN, and find tells
                        if (open[i] == null) {
                            open[i] = Coin.copyAns(cur[i].ans());
                        }
                        open[i][j] = r.expectedAn(c);
                        if (!unresolved.contains(i)) {
                            unresolved.add(i);
                        }
                        lostAt.add(new int[] {i, j});
                        held[i][j] = true;
                    }
                }
            }
            if (!unresolved.isEmpty()) {
                FindResult found = resolve(round, unresolved, cur, open, held);
                for (int[] ij : lostAt) {
                    if (found.match(unresolved.indexOf(ij[0]), ij[1]) == FindResult.Match.PAN) {
                        fixedOn.get(ij[0]).add(ij[1]);
                    }
                }
            }
            listener.roundEnded(round, snapshot(cur, open, fixedOn));
            if (toFix(need, cur) >= before) {
                break;
            }
        }
        return new HealResult(snapshot(cur, open, fixedOn), rounds);
    }

    /**
     * find for coins {@code idx} with their ANs and open PANs; adopts per RAIDA what it holds.
     * Where a RAIDA does not answer, the AN stays and its PAN stays open; all others close, except
     * where {@code held} marks a fix whose reply was lost and find says neither: that RAIDA may
     * still be waiting on its peers and apply the fix later, so the expected AN stays open.
     */
    private FindResult resolve(int round, List<Integer> idx, Coin[] cur, byte[][][] open, boolean[][] held)
            throws InterruptedException {
        List<Coin> coins = new ArrayList<>();
        List<List<byte[]>> pans = new ArrayList<>();
        for (int i : idx) {
            coins.add(cur[i]);
            pans.add(Arrays.asList(open[i]));
        }
        FindResult f = await(find(coins, pans));
        listener.found(round, f);
        for (int k = 0; k < idx.size(); k++) {
            int i = idx.get(k);
            Coin found = f.coins().get(k);
            for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                FindResult.Match m = f.match(k, r);
                if (m == FindResult.Match.PAN || m == FindResult.Match.AN) {
                    open[i][r] = found.anRef(r).clone();
                    held[i][r] = false;
                } else if (m == FindResult.Match.NEITHER && !held[i][r]) {
                    open[i][r] = found.anRef(r).clone();
                }
            }
            cur[i] = found;
            if (!anyOpen(open[i], cur[i])) {
                open[i] = null;
            }
        }
        return f;
    }

    private static boolean anyOpen(byte[][] pans, Coin c) {
        boolean open = false;
        for (int r = 0; r < RaidaNetwork.SIZE; r++) {
            open |= !java.security.MessageDigest.isEqual(pans[r], c.anRef(r));
        }
        return open;
    }

    /** RAIDA still to fix over the coins {@code need}. */
    private int toFix(List<Integer> need, Coin[] cur) {
        int t = 0;
        for (int i : need) {
            for (boolean b : policy.targets(cur[i].pown())) {
                t += b ? 1 : 0;
            }
        }
        return t;
    }

    private List<HealedCoin> snapshot(Coin[] cur, byte[][][] open, List<List<Integer>> fixedOn) {
        List<HealedCoin> out = new ArrayList<>(cur.length);
        for (int i = 0; i < cur.length; i++) {
            out.add(new HealedCoin(cur[i], policy.grade(cur[i].pown()), fixedOn.get(i),
                    open[i] == null ? List.of() : Arrays.asList(open[i])));
        }
        return out;
    }

    private static Coin setAn(Coin c, int raidaId, byte[] an, char letter) {
        List<byte[]> ans = c.ans();
        ans.set(raidaId, an);
        return c.withAns(ans).withPown(c.pown().with(raidaId, letter));
    }

    private static <T> T await(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a healing request failed: " + c, c);
        }
    }

    // ---- plumbing ----

    private ClusterCall fanOut(int code, int n, java.util.function.IntFunction<byte[]> payload) {
        ClusterRequests requests = (id, mode) -> {
            RequestBuilder b = RequestBuilder.command(id, 2, code).payload(payload.apply(id));
            return (key == null ? b : key.apply(b, id, mode)).build();
        };
        ClusterCall.Builder b = ClusterCall.builder(requests)
                .replyCheck((id, r) -> code == FIND ? findPlausible(r, n) : ticketPlausible(r, n));
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return b.build();
    }

    private static CompletableFuture<List<ClusterReply>> all(List<CompletableFuture<ClusterReply>> calls) {
        CompletableFuture<List<ClusterReply>> out = CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> {
                    List<ClusterReply> l = new ArrayList<>(calls.size());
                    calls.forEach(c -> l.add(c.join()));
                    return l;
                });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                calls.forEach(c -> c.cancel(false));
            }
        });
        return out;
    }

    private static List<Coin> requireCoins(List<Coin> coins) {
        List<Coin> list = List.copyOf(Objects.requireNonNull(coins, "coins"));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no coins given");
        }
        return list;
    }

    private static long u32(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
    }

    private static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
