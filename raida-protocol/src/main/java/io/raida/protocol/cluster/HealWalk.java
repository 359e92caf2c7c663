package io.raida.protocol.cluster;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One heal of a batch of coins (healing.md §4), the walk {@link CoinHealer#heal(List, List)}
 * describes: find for the coins in limbo, then rounds of tickets and fixes, a fix whose reply was
 * lost resolved with find. Holds per coin what the client knows so far; used once, on the calling
 * thread.
 */
final class HealWalk {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CoinHealer healer;
    private final GradingPolicy policy;
    private final HealListener listener;
    /** Per coin: the coin as it now stands (ANs, POWN string). */
    private final Coin[] cur;
    /** Per coin: 25 PANs still open (a RAIDA may hold them instead of the AN), or null. */
    private final byte[][][] open;
    /** Per coin and RAIDA: a fix whose reply was lost, which that RAIDA may still apply. */
    private final boolean[][] held;
    /** Per coin: the RAIDA a fix re-keyed it on. */
    private final List<List<Integer>> fixedOn = new ArrayList<>();

    /**
     * @param healer   the healer whose find, get_ticket and fix the walk calls
     * @param listener told of every step
     * @param coins    the coins, checked
     * @param pans     per coin 25 PANs, or {@code null} for a coin not in limbo; as many as coins
     */
    HealWalk(CoinHealer healer, HealListener listener, List<Coin> coins, List<List<byte[]>> pans) {
        this.healer = healer;
        this.policy = healer.policy();
        this.listener = listener;
        int n = coins.size();
        this.cur = coins.toArray(new Coin[0]);
        this.open = new byte[n][][];
        this.held = new boolean[n][RaidaNetwork.SIZE];
        for (int i = 0; i < n; i++) {
            fixedOn.add(new ArrayList<>());
            if (pans.get(i) != null) {
                open[i] = Coin.copyAns(pans.get(i));
            }
        }
    }

    /**
     * Walks to the end.
     *
     * @param maxRounds the bound on ticket-and-fix rounds
     * @return the coins as they end, and the rounds taken
     * @throws InterruptedException if interrupted (the requests in flight are cancelled)
     */
    HealResult run(int maxRounds) throws InterruptedException {
        List<Integer> limbo = new ArrayList<>();
        for (int i = 0; i < cur.length; i++) {
            if (open[i] != null) {
                limbo.add(i);
            }
        }
        if (!limbo.isEmpty()) {
            resolve(0, limbo);
        }
        int rounds = 0;
        for (int round = 1; round <= maxRounds; round++) {
            List<Integer> need = new ArrayList<>();
            for (int i = 0; i < cur.length; i++) {
                Grade g = policy.grade(cur[i].pown());
                if (g != Grade.AUTHENTIC && (round == 1 || g == Grade.FRACKED)) {
                    need.add(i);
                }
            }
            if (need.isEmpty()) {
                break;
            }
            rounds = round;
            if (!round(round, need)) {
                break;
            }
        }
        return new HealResult(snapshot(), rounds);
    }

    /** One ticket-and-fix round; whether another round may fix more. */
    private boolean round(int round, List<Integer> need) throws InterruptedException {
        List<Coin> needCoins = new ArrayList<>();
        need.forEach(i -> needCoins.add(cur[i]));
        List<TicketBook> books = await(healer.getTickets(needCoins));
        listener.ticketsTaken(round, books);
        int k = 0;
        for (TicketBook b : books) {
            for (Coin c : b.coins()) {
                cur[need.get(k++)] = c;
            }
        }
        int before = toFix(need);
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
                sends.add(() -> fixes.add(healer.fix(target, here, b, pg)));
                fixCoins.add(idx.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        if (sends.isEmpty()) {
            listener.roundEnded(round, snapshot());
            return false;
        }
        sends.forEach(Runnable::run);
        settle(round, fixes, fixCoins);
        listener.roundEnded(round, snapshot());
        return toFix(need) < before;
    }

    /** Takes in the fixes' results; those whose reply was lost are resolved with find. */
    private void settle(int round, List<CompletableFuture<FixResult>> fixes, List<int[]> fixCoins)
            throws InterruptedException {
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
                        if (!anyOpen(i)) {
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
            FindResult found = resolve(round, unresolved);
            for (int[] ij : lostAt) {
                if (found.match(unresolved.indexOf(ij[0]), ij[1]) == FindResult.Match.PAN) {
                    fixedOn.get(ij[0]).add(ij[1]);
                }
            }
        }
    }

    /**
     * find for coins {@code idx} with their ANs and open PANs; adopts per RAIDA what it holds.
     * Where a RAIDA does not answer, the AN stays and its PAN stays open; all others close, except
     * where {@code held} marks a fix whose reply was lost and find says neither: that RAIDA may
     * still be waiting on its peers and apply the fix later, so the expected AN stays open.
     */
    private FindResult resolve(int round, List<Integer> idx) throws InterruptedException {
        List<Coin> coins = new ArrayList<>();
        List<List<byte[]>> pans = new ArrayList<>();
        for (int i : idx) {
            coins.add(cur[i]);
            pans.add(Arrays.asList(open[i]));
        }
        FindResult f = await(healer.find(coins, pans));
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
            if (!anyOpen(i)) {
                open[i] = null;
            }
        }
        return f;
    }

    /** Whether coin {@code i} has a PAN that differs from its AN on some RAIDA. */
    private boolean anyOpen(int i) {
        boolean any = false;
        for (int r = 0; r < RaidaNetwork.SIZE; r++) {
            any |= !MessageDigest.isEqual(open[i][r], cur[i].anRef(r));
        }
        return any;
    }

    /** RAIDA still to fix over the coins {@code need}. */
    private int toFix(List<Integer> need) {
        int t = 0;
        for (int i : need) {
            for (boolean b : policy.targets(cur[i].pown())) {
                t += b ? 1 : 0;
            }
        }
        return t;
    }

    private List<HealedCoin> snapshot() {
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

    /**
     * Waits for a step of the heal.
     *
     * @param f   the step
     * @param <T> its result
     * @return its result
     * @throws InterruptedException if interrupted; the step is cancelled
     */
    static <T> T await(CompletableFuture<T> f) throws InterruptedException {
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
}
