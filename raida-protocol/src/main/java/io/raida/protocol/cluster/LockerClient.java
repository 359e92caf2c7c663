package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.StatusCode;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Sending and receiving coins by transmit code over the 25 RAIDA (lockers.md): put (8/82, and 8/88
 * for several lockers in one request), peek (8/83) and remove (8/84), graded per RAIDA and coin as
 * pown is (auth.md §3), and the recovery of an interrupted put or remove with find (2/60).
 *
 * <p><b>What to keep, and how to recover.</b> A put or a remove changes ANs; a lost reply leaves
 * the client not knowing whether a RAIDA changed them. Both sides therefore write down the ANs a
 * step will give the coins <em>before</em> sending it, as the PANs of a coin file (format 9, flag
 * bit 0; {@link CoinFile}):
 * <ul>
 *   <li><b>Sender</b>: {@link #preparePut} gives each coin file the locker keys {@code LK_i} of the
 *       code as PANs next to the coin's current ANs. Keep those files (and the code) until the put is
 *       decided; then keep {@link #keep keep(result, prepared)} (ANs = {@code LK_i} where the coin went
 *       into the locker). A coin is sent when {@link #inLocker} names at least 13 RAIDA; only then
 *       may its file leave the sender's wallet.</li>
 *   <li><b>Receiver</b>: {@link #prepareRemove} chooses a random new AN per coin and RAIDA; keep the
 *       files it gives (ANs = {@code LK_i}, PANs = the new ANs) before calling {@link #remove}; then keep
 *       {@code keep(result, prepared)}.</li>
 * </ul>
 * After a crash or a lost reply, {@link #recover recover(kept)} asks every RAIDA with find whether
 * each coin holds its AN (1: the step did not happen there) or its PAN (2: it did, the AN becomes the
 * PAN). For the sender a coin that holds {@code LK_i} is in the locker; one that still holds its old
 * AN may be put again (a put of the coins as they now stand is harmless where they already hold
 * {@code LK_i}: their sum is that key again). For the receiver a coin that holds its new AN is
 * received there; one that still holds {@code LK_i} may be removed again with the same files; a coin
 * that holds neither (find 0, {@code f}) was never in the locker on that RAIDA, or was taken by
 * someone else holding the code, and is fracked there (heal it, healing.md §4).
 *
 * <p>Per RAIDA and coin the letters are: {@code p} the step took (put: the coin holds {@code LK_i};
 * remove: the new AN), {@code f} it did not (242, or the coin's bit clear), {@code e} another status
 * (e.g. 40 unknown coin, 199 bad key), {@code n} no reply <em>or</em> a refusal that answers a
 * retry: a retry follows an attempt whose reply was lost and which may have been applied, so its
 * 242 proves nothing; {@link #recover} settles those. The grade is auth.md §3's: for a put,
 * authentic means "in the locker on every RAIDA", fracked "in it on at least 13" (lockers.md §5
 * treats that as sent).
 *
 * <p>Requests are type 0 by default (what every server accepts; the locker key travels in clear, so
 * anyone who sees the request can empty the locker), or type 1 or 4 with a {@link KeyCoin}
 * authentic on every RAIDA (lockers.md §4). Every call waits for all 25 RAIDA or the cluster's
 * deadline: each answer is needed to know where the coins are. Thread-safe.
 */
public final class LockerClient {
    /** The locker command group. */
    static final int LOCKERS = 8;
    /** 8/83 peek. */
    static final int PEEK = 83;
    /** 8/88 store_multiple_sum. */
    static final int PUT_MULTIPLE = 88;
    /** Lockers one 8/88 request can hold ({@code nl} is one byte). */
    public static final int MAX_LOCKERS_PER_REQUEST = 255;
    /** Coins one locker of an 8/88 request can hold ({@code nc} is two bytes). */
    static final int MAX_COINS_PER_LOCKER = 0xFFFF;
    private static final int LEGACY_OVERHEAD = 18;
    private static final int MODERN_OVERHEAD = 34;
    private static final int KEY = LockerKey.SIZE;
    private static final int COIN = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Internal per-coin verdicts besides the POWN letters: the step took (AN := PAN), or find said "AN". */
    private static final char TOOK = 'T';
    private static final char HELD = 'H';

    private final RaidaCluster cluster;
    private final KeyCoin key;

    private LockerClient(RaidaCluster cluster, KeyCoin key) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.key = key;
    }

    /** Unencrypted (type 0) requests, what the clients in use send (lockers.md §4). */
    public static LockerClient unencrypted(RaidaCluster cluster) {
        return new LockerClient(cluster, null);
    }

    /** Requests encrypted with {@code key} (type 1 or 4, each RAIDA with its AN of the key coin). */
    public static LockerClient keyedWith(RaidaCluster cluster, KeyCoin key) {
        return new LockerClient(cluster, Objects.requireNonNull(key, "key"));
    }

    /** One command and its payload layout. */
    enum Step {
        /** 8/82: n × {@code den ‖ SN}, then {@code SU ‖ LK}. */
        PUT(LOCKERS, 82, COIN, 2 * KEY),
        /** 8/84: {@code LK}, then n × {@code den ‖ SN ‖ newAN}. */
        REMOVE(LOCKERS, 84, COIN + KEY, KEY),
        /** 2/60: n × {@code den ‖ SN ‖ AN ‖ PAN}. */
        FIND(2, 60, COIN + 2 * KEY, 0);

        final int group;
        final int code;
        final int record;
        final int fixed;

        Step(int group, int code, int record, int fixed) {
            this.group = group;
            this.code = code;
            this.record = record;
            this.fixed = fixed;
        }
    }

    // ---------------------------------------------------------------- sender

    /**
     * What the sender keeps before a put: per coin a coin file with the coin's current ANs, the
     * code's 25 locker keys as PANs (the ANs the coin has on each RAIDA where the put lands) and an
     * untried POWN string (until the put is settled no RAIDA's AN is known for sure).
     *
     * @throws IllegalArgumentException if the code is refused ({@link LockerKey#normalize})
     */
    public static List<CoinFile> preparePut(String code, List<Coin> coins) {
        List<byte[]> keys = keyList(code);
        List<CoinFile> out = new ArrayList<>();
        for (Coin c : requireCoins(coins)) {
            out.add(new CoinFile(c.withPown(PownString.untried()), keys));
        }
        return List.copyOf(out);
    }

    /**
     * Put (8/82): moves {@code coins} into the locker of {@code code} on every RAIDA where the XOR
     * of the ANs held for it is right. Per coin the result has the locker key as AN on every RAIDA
     * that took it (letter {@code p}) and its old AN elsewhere. Batches above the body limit are
     * split into several puts into the same locker. Heal the coins first: one wrong AN makes the
     * whole put fail on that RAIDA.
     *
     * @throws IllegalArgumentException if the code is refused, no coin is given or a coin is listed
     *                                  twice (a server refuses that put with 198, lockers.md §7)
     */
    public CompletableFuture<BatchResult> put(String code, List<Coin> coins) {
        byte[][] lk = keys(code);
        List<Coin> list = requireDistinct(requireCoins(coins));
        byte[][][] pans = new byte[list.size()][][];
        Arrays.fill(pans, lk);
        return run(Step.PUT, list, pans, lk);
    }

    /**
     * Put into several lockers with store_multiple_sum (8/88), as few requests as the limits allow
     * (255 lockers and the body limit per request). Each locker is judged alone on each RAIDA.
     *
     * @param lockers transmit code → the coins for that locker, in the order of the map's iteration
     *                (use a {@link LinkedHashMap} to choose it)
     * @return one result per locker, in that order
     * @throws IllegalArgumentException if a code is refused, two codes are the same after
     *                                  normalisation, a locker has no coin or too many for one
     *                                  request, or a coin appears twice in the whole call
     */
    public CompletableFuture<List<BatchResult>> putMany(Map<String, List<Coin>> lockers) {
        Objects.requireNonNull(lockers, "lockers");
        if (lockers.isEmpty()) {
            throw new IllegalArgumentException("no locker given");
        }
        List<Locker> all = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        List<Coin> everyCoin = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Coin>> e : lockers.entrySet()) {
            String code = LockerKey.normalize(e.getKey());
            if (!codes.add(code)) {
                throw new IllegalArgumentException("locker " + (index + 1) + " has the same transmit code as an "
                        + "earlier one; give each locker once");
            }
            List<Coin> coins = requireCoins(e.getValue());
            if (coins.size() > MAX_COINS_PER_LOCKER) {
                throw new IllegalArgumentException("locker " + (index + 1) + " has " + coins.size()
                        + " coins; 8/88 carries at most " + MAX_COINS_PER_LOCKER + " per locker: use put");
            }
            everyCoin.addAll(coins);
            all.add(new Locker(keys(code), coins));
            index++;
        }
        requireDistinct(everyCoin);
        int budget = cluster.options().maxBodySize() - overhead() - 1;
        List<List<Locker>> requests = new ArrayList<>();
        List<Locker> current = new ArrayList<>();
        int used = 0;
        for (int k = 0; k < all.size(); k++) {
            int size = all.get(k).size();
            if (size > budget) {
                throw new IllegalArgumentException("locker " + (k + 1) + " (" + all.get(k).coins().size()
                        + " coins) does not fit one request of " + cluster.options().maxBodySize()
                        + " bytes; use put, which splits it");
            }
            if (current.size() == MAX_LOCKERS_PER_REQUEST || used + size > budget) {
                requests.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(all.get(k));
            used += size;
        }
        requests.add(current);
        List<CompletableFuture<List<BatchResult>>> parts = new ArrayList<>();
        for (List<Locker> group : requests) {
            parts.add(putGroup(group));
        }
        CompletableFuture<List<BatchResult>> out = CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> {
                    List<BatchResult> results = new ArrayList<>();
                    parts.forEach(p -> results.addAll(p.join()));
                    return List.copyOf(results);
                });
        cancelTogether(out, parts);
        return out;
    }

    /** One locker of an 8/88 request. */
    private record Locker(byte[][] keys, List<Coin> coins) {
        /** {@code nc(2) ‖ nc × (den ‖ SN) ‖ SU ‖ LK}. */
        int size() {
            return 2 + coins.size() * COIN + 2 * KEY;
        }
    }

    private CompletableFuture<List<BatchResult>> putGroup(List<Locker> group) {
        int nl = group.size();
        ClusterRequests requests = (id, mode) -> {
            int size = 1;
            for (Locker l : group) {
                size += l.size();
            }
            byte[] p = new byte[size];
            p[0] = (byte) nl;
            int o = 1;
            for (Locker l : group) {
                int nc = l.coins().size();
                p[o] = (byte) (nc >>> 8);
                p[o + 1] = (byte) nc;
                o += 2;
                byte[] su = new byte[KEY];
                for (Coin c : l.coins()) {
                    LockerCoin.of(c).write(p, o);
                    o += COIN;
                    xorInto(su, c.anRef(id));
                }
                System.arraycopy(su, 0, p, o, KEY);
                System.arraycopy(l.keys()[id], 0, p, o + KEY, KEY);
                o += 2 * KEY;
            }
            return build(RequestBuilder.command(id, LOCKERS, PUT_MULTIPLE).payload(p), id, mode);
        };
        ClusterCall.Builder b = ClusterCall.builder(requests).replyCheck((id, r) -> plausibleMulti(r, nl));
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return cluster.call(b.build()).thenApply(reply -> {
            char[][] verdicts = new char[nl][RaidaNetwork.SIZE];
            for (RaidaOutcome o : reply.outcomes()) {
                char[] v = multiVerdicts(o, nl);
                for (int k = 0; k < nl; k++) {
                    verdicts[k][o.raidaId()] = v[k];
                }
            }
            List<BatchResult> out = new ArrayList<>();
            for (int k = 0; k < nl; k++) {
                Locker l = group.get(k);
                List<CoinResult> coins = new ArrayList<>();
                for (Coin c : l.coins()) {
                    coins.add(result(Step.PUT, c, verdicts[k], l.keys()));
                }
                out.add(new BatchResult(coins, List.of(reply)));
            }
            return out;
        });
    }

    /** 8/88 replies: 241/242 (body ignored); 243 with ⌈nl/8⌉ bytes, or 4 zero bytes and then those. */
    static boolean plausibleMulti(RaidaResponse r, int nl) {
        if (r.status() != StatusCode.STATUS_MIXED.code()) {
            return true;
        }
        byte[] p = r.payload();
        int bytes = (nl + 7) / 8;
        return p.length == bytes || p.length == bytes + 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
    }

    /** Per locker the verdict of one RAIDA's 8/88 outcome. */
    static char[] multiVerdicts(RaidaOutcome o, int nl) {
        char[] v = new char[nl];
        if (!o.replied()) {
            Arrays.fill(v, o.failureLetter());
            return v;
        }
        int s = o.status();
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            Arrays.fill(v, TOOK);
        } else if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            Arrays.fill(v, 'f');
        } else if (s == StatusCode.STATUS_MIXED.code()) {
            byte[] p = o.response().payload();
            int skip = p.length == (nl + 7) / 8 ? 0 : 4;
            for (int k = 0; k < nl; k++) {
                v[k] = bit(p, skip, k) ? TOOK : 'f';
            }
        } else {
            Arrays.fill(v, 'e');
        }
        return retried(o, v);
    }

    // ---------------------------------------------------------------- receiver

    /**
     * Peek (8/83): which coins each RAIDA lists in the locker of {@code code}. No state changes.
     *
     * @throws IllegalArgumentException if the code is refused
     */
    public CompletableFuture<LockerPeek> peek(String code) {
        byte[][] lk = keys(code);
        ClusterCall.Builder b = ClusterCall.builder((id, mode) ->
                        build(RequestBuilder.command(id, LOCKERS, PEEK).payload(lk[id].clone()), id, mode))
                .replyCheck((id, r) -> r.status() != StatusCode.STATUS_ALL_PASS.code()
                        || r.payload().length > 0 && r.payload().length % COIN == 0);
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return cluster.call(b.build()).thenApply(reply -> {
            List<Optional<List<LockerCoin>>> listings = new ArrayList<>();
            for (RaidaOutcome o : reply.outcomes()) {
                listings.add(listing(o));
            }
            return new LockerPeek(listings, reply);
        });
    }

    private static Optional<List<LockerCoin>> listing(RaidaOutcome o) {
        if (o.status() == StatusCode.STATUS_ALL_FAIL.code()) {
            return Optional.of(List.of());
        }
        if (o.status() != StatusCode.STATUS_ALL_PASS.code()) {
            return Optional.empty();
        }
        byte[] p = o.response().payload();
        Set<LockerCoin> coins = new TreeSet<>();
        for (int off = 0; off < p.length; off += COIN) {
            coins.add(LockerCoin.read(p, off)); // a reference server lists a coin put twice twice (D-55)
        }
        return Optional.of(List.copyOf(coins));
    }

    /**
     * What the receiver keeps before a remove: per coin a coin file whose ANs are the code's locker
     * keys and whose PANs are fresh random ANs (never ending {@code FF FF FF FF}, which would put the
     * coin in another locker). Write these files <em>before</em> calling {@link #remove}.
     *
     * @throws IllegalArgumentException if the code is refused, no coin is given or one is given twice
     */
    public static List<CoinFile> prepareRemove(String code, List<LockerCoin> coins) {
        List<byte[]> keys = keyList(code);
        Objects.requireNonNull(coins, "coins");
        if (coins.isEmpty()) {
            throw new IllegalArgumentException("no coin given");
        }
        if (new HashSet<>(coins).size() != coins.size()) {
            throw new IllegalArgumentException("a coin is listed twice; remove each coin once");
        }
        List<CoinFile> out = new ArrayList<>();
        for (LockerCoin c : coins) {
            List<byte[]> pans = new ArrayList<>(RaidaNetwork.SIZE);
            for (int i = 0; i < RaidaNetwork.SIZE; i++) {
                pans.add(randomAn());
            }
            out.add(new CoinFile(Coin.of(c.denomination(), c.serialNumber(), keys), pans));
        }
        return List.copyOf(out);
    }

    /** 16 random bytes that are not a locker key. */
    static byte[] randomAn() {
        byte[] an = new byte[KEY];
        do {
            RANDOM.nextBytes(an);
        } while (LockerKey.hasLockerTail(an, 0));
        return an;
    }

    /**
     * Remove (8/84): takes the coins out of the locker of {@code code}, giving each on RAIDA
     * <i>i</i> its PAN for <i>i</i>. Per coin the result has the PAN as AN on every RAIDA whose bit
     * was set ({@code p}); elsewhere it keeps the file's AN. The body of the reply is read as the
     * spec says whatever its length (D-58: ⌊n/8⌋ + 1 bytes on every status; only 243 carries bits
     * that matter).
     *
     * @param prepared the files of {@link #prepareRemove}, written down before this call
     * @throws IllegalArgumentException if the code is refused, a file has no PANs, a PAN ends
     *                                  {@code FF FF FF FF} or a coin is given twice
     */
    public CompletableFuture<BatchResult> remove(String code, List<CoinFile> prepared) {
        byte[][] lk = keys(code);
        Objects.requireNonNull(prepared, "prepared");
        List<Coin> coins = new ArrayList<>();
        byte[][][] pans = pansOf(prepared, coins, true);
        return run(Step.REMOVE, requireDistinct(coins), pans, lk);
    }

    // ---------------------------------------------------------------- both

    /**
     * The files to keep after a put or a remove: each coin as the result left it (ANs, POWN string)
     * with the PANs of the prepared file, so that {@link #recover} can settle the RAIDA that did not
     * answer.
     *
     * @throws IllegalArgumentException if the result and the files do not name the same coins in the same order
     */
    public static List<CoinFile> keep(BatchResult result, List<CoinFile> prepared) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(prepared, "prepared");
        if (result.coins().size() != prepared.size()) {
            throw new IllegalArgumentException(result.coins().size() + " results but " + prepared.size() + " files");
        }
        List<CoinFile> out = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Coin c = result.coins().get(i).coin();
            if (!LockerCoin.of(c).equals(LockerCoin.of(prepared.get(i).coin()))) {
                throw new IllegalArgumentException("result " + (i + 1) + " is coin " + LockerCoin.of(c)
                        + " but file " + (i + 1) + " holds " + LockerCoin.of(prepared.get(i).coin()));
            }
            out.add(new CoinFile(c, prepared.get(i).pans()));
        }
        return List.copyOf(out);
    }

    /**
     * Settles an interrupted put or remove with find (2/60, healing.md §2) on every RAIDA: per coin
     * and RAIDA, the stored AN equals the file's AN (1) → {@code p}, AN unchanged; equals its PAN (2)
     * → {@code p}, AN := PAN; neither (0) → {@code f}. A RAIDA that does not answer keeps a {@code p}
     * the file already had, else {@code n}. No state changes on any RAIDA.
     *
     * @param kept files with PANs: those of {@link #preparePut} / {@link #prepareRemove}, or of {@link #keep}
     * @throws IllegalArgumentException if a file has no PANs or a coin is given twice
     */
    public CompletableFuture<BatchResult> recover(List<CoinFile> kept) {
        Objects.requireNonNull(kept, "kept");
        List<Coin> coins = new ArrayList<>();
        byte[][][] pans = pansOf(kept, coins, false);
        return run(Step.FIND, requireDistinct(coins), pans, null);
    }

    /**
     * The RAIDA on which {@code coin} is known to sit in the locker of {@code code}: its POWN letter
     * there is {@code p} and its AN is that RAIDA's locker key. After a put (and {@link #recover}) a
     * sender counts the coin as sent when at least 13 RAIDA hold it (lockers.md §5).
     *
     * @throws IllegalArgumentException if the code is refused
     */
    public static List<Integer> inLocker(String code, Coin coin) {
        byte[][] lk = keys(code);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            if (coin.pown().letter(i) == 'p' & MessageDigest.isEqual(coin.anRef(i), lk[i])) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- the fan-outs

    private CompletableFuture<BatchResult> run(Step step, List<Coin> coins, byte[][][] pans, byte[][] lk) {
        int per = RequestSplitter.coinsPerRequest(step.record, step.fixed, overhead(), cluster.options().maxBodySize());
        List<int[]> chunks = RequestSplitter.split(coins.size(), per);
        List<CompletableFuture<ClusterReply>> calls = new ArrayList<>();
        for (int[] range : chunks) {
            calls.add(cluster.call(chunkCall(step, coins, pans, lk, range[0], range[1])));
        }
        CompletableFuture<BatchResult> out = CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> {
                    List<CoinResult> results = new ArrayList<>(coins.size());
                    List<ClusterReply> replies = new ArrayList<>(calls.size());
                    for (int k = 0; k < chunks.size(); k++) {
                        ClusterReply reply = calls.get(k).join();
                        replies.add(reply);
                        int from = chunks.get(k)[0];
                        int n = chunks.get(k)[1] - from;
                        char[][] verdicts = new char[n][RaidaNetwork.SIZE];
                        for (RaidaOutcome o : reply.outcomes()) {
                            char[] got = verdicts(step, o, n);
                            for (int j = 0; j < n; j++) {
                                verdicts[j][o.raidaId()] = got[j];
                            }
                        }
                        for (int j = 0; j < n; j++) {
                            results.add(result(step, coins.get(from + j), verdicts[j], pans[from + j]));
                        }
                    }
                    return new BatchResult(results, replies);
                });
        cancelTogether(out, calls);
        return out;
    }

    private ClusterCall chunkCall(Step step, List<Coin> coins, byte[][][] pans, byte[][] lk, int from, int to) {
        int n = to - from;
        ClusterRequests requests = (id, mode) -> build(RequestBuilder.command(id, step.group, step.code)
                .payload(payload(step, coins, pans, lk, from, to, id)), id, mode);
        ClusterCall.Builder b = ClusterCall.builder(requests).replyCheck((id, r) -> plausible(step, r, n));
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return b.build();
    }

    static byte[] payload(Step step, List<Coin> coins, byte[][][] pans, byte[][] lk, int from, int to, int id) {
        int n = to - from;
        byte[] p = new byte[n * step.record + step.fixed];
        int o = step == Step.REMOVE ? KEY : 0;
        if (step == Step.REMOVE) {
            System.arraycopy(lk[id], 0, p, 0, KEY);
        }
        byte[] su = new byte[KEY];
        for (int j = from; j < to; j++) {
            Coin c = coins.get(j);
            LockerCoin.of(c).write(p, o);
            o += COIN;
            switch (step) {
                case PUT -> xorInto(su, c.anRef(id));
                case REMOVE -> {
                    System.arraycopy(pans[j][id], 0, p, o, KEY);
                    o += KEY;
                }
                default -> {
                    System.arraycopy(c.anRef(id), 0, p, o, KEY);
                    System.arraycopy(pans[j][id], 0, p, o + KEY, KEY);
                    o += 2 * KEY;
                }
            }
        }
        if (step == Step.PUT) {
            System.arraycopy(su, 0, p, o, KEY);
            System.arraycopy(lk[id], 0, p, o + KEY, KEY);
        }
        return p;
    }

    /**
     * Whether a reply's body fits its status. Put: any (241/242 carry none; nothing is read). Remove:
     * a 243 needs at least ⌈n/8⌉ bitmap bytes (a reference sends ⌊n/8⌋ + 1, D-58). Find: a 211 needs
     * exactly n bytes of 0, 1 or 2.
     */
    static boolean plausible(Step step, RaidaResponse r, int n) {
        byte[] p = r.payload();
        if (step == Step.REMOVE && r.status() == StatusCode.STATUS_MIXED.code()) {
            return p.length >= (n + 7) / 8;
        }
        if (step == Step.FIND && r.status() == StatusCode.STATUS_FIND_MIXED.code()) {
            boolean ok = p.length == n;
            for (byte b : p) {
                ok &= b >= 0 && b <= 2;
            }
            return ok;
        }
        return true;
    }

    /** The verdicts of {@code n} coins from one RAIDA's outcome. */
    static char[] verdicts(Step step, RaidaOutcome o, int n) {
        char[] v = new char[n];
        if (!o.replied()) {
            Arrays.fill(v, o.failureLetter());
            return v;
        }
        int s = o.status();
        byte[] p = o.response().payload();
        if (step == Step.FIND) {
            if (s == StatusCode.STATUS_FIND_ALL_AN.code()) {
                Arrays.fill(v, HELD);
            } else if (s == StatusCode.STATUS_FIND_ALL_PAN.code()) {
                Arrays.fill(v, TOOK);
            } else if (s == StatusCode.STATUS_FIND_NEITHER.code()) {
                Arrays.fill(v, 'f');
            } else if (s == StatusCode.STATUS_FIND_MIXED.code()) {
                for (int j = 0; j < n; j++) {
                    v[j] = p[j] == 2 ? TOOK : p[j] == 1 ? HELD : 'f';
                }
            } else {
                Arrays.fill(v, 'e');
            }
            return v; // find changes nothing: a retry's answer is as good as the first
        }
        if (s == StatusCode.STATUS_ALL_PASS.code()) {
            Arrays.fill(v, TOOK);
        } else if (s == StatusCode.STATUS_ALL_FAIL.code()) {
            Arrays.fill(v, 'f');
        } else if (s == StatusCode.STATUS_MIXED.code() && step == Step.REMOVE) {
            for (int j = 0; j < n; j++) {
                v[j] = bit(p, 0, j) ? TOOK : 'f';
            }
        } else {
            Arrays.fill(v, 'e');
        }
        return retried(o, v);
    }

    /**
     * After more than one attempt, an earlier attempt may have been applied with its reply lost: a
     * refusal then proves nothing and counts as no reply ({@link #recover} settles it).
     */
    private static char[] retried(RaidaOutcome o, char[] v) {
        if (o.attempts() > 1) {
            for (int j = 0; j < v.length; j++) {
                v[j] = v[j] == 'f' ? 'n' : v[j];
            }
        }
        return v;
    }

    private static CoinResult result(Step step, Coin coin, char[] verdicts, byte[][] pans) {
        char[] letters = new char[RaidaNetwork.SIZE];
        List<byte[]> ans = coin.ans();
        List<Integer> took = new ArrayList<>();
        for (int r = 0; r < RaidaNetwork.SIZE; r++) {
            char v = verdicts[r];
            if (v == TOOK) {
                letters[r] = 'p';
                ans.set(r, pans[r].clone());
                took.add(r);
            } else if (v == HELD) {
                letters[r] = 'p';
            } else if (step == Step.FIND && v != 'f' && coin.pown().letter(r) == 'p') {
                letters[r] = 'p'; // no answer now; what the file already knew stands
            } else {
                letters[r] = v;
            }
        }
        PownString pown = PownString.ofChars(letters);
        return new CoinResult(coin.withAns(ans).withPown(pown), pown.grade(), took);
    }

    // ---------------------------------------------------------------- helpers

    private ClientRequest build(RequestBuilder b, int id, KeystreamMode mode) {
        return (key == null ? b : key.apply(b, id, mode)).build();
    }

    private int overhead() {
        return key != null && key.type() == EncryptionType.AES256_ONE_COIN ? MODERN_OVERHEAD : LEGACY_OVERHEAD;
    }

    /** The 25 locker keys of {@code code}. */
    private static byte[][] keys(String code) {
        String c = LockerKey.normalize(code);
        byte[][] k = new byte[RaidaNetwork.SIZE][];
        for (int i = 0; i < k.length; i++) {
            k[i] = LockerKey.fromTransmitCode(c, i).bytes();
        }
        return k;
    }

    private static List<byte[]> keyList(String code) {
        return Arrays.asList(keys(code));
    }

    private static List<Coin> requireCoins(List<Coin> coins) {
        Objects.requireNonNull(coins, "coins");
        if (coins.isEmpty()) {
            throw new IllegalArgumentException("no coin given");
        }
        for (Coin c : coins) {
            Objects.requireNonNull(c, "coin");
        }
        return List.copyOf(coins);
    }

    private static List<Coin> requireDistinct(List<Coin> coins) {
        Set<LockerCoin> seen = new HashSet<>();
        for (Coin c : coins) {
            if (!seen.add(LockerCoin.of(c))) {
                throw new IllegalArgumentException("coin " + c.denomination() + "/" + c.serialNumber()
                        + " is listed twice: give each coin once (a RAIDA refuses a put listing a coin twice"
                        + " with 198)");
            }
        }
        return coins;
    }

    /** The PANs of {@code files} (coins appended to {@code coins}); for a remove none may be a locker key. */
    private static byte[][][] pansOf(List<CoinFile> files, List<Coin> coins, boolean remove) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no coin file given");
        }
        byte[][][] pans = new byte[files.size()][][];
        for (int i = 0; i < files.size(); i++) {
            CoinFile f = Objects.requireNonNull(files.get(i), "file");
            if (!f.hasPans()) {
                throw new IllegalArgumentException("coin " + LockerCoin.of(f.coin()) + " has no PANs: keep the files"
                        + " of " + (remove ? "prepareRemove" : "preparePut, prepareRemove or keep"));
            }
            pans[i] = Coin.copyAns(f.pans());
            if (remove) {
                for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                    if (LockerKey.hasLockerTail(pans[i][r], 0)) {
                        throw new IllegalArgumentException("coin " + LockerCoin.of(f.coin()) + ": its new AN for RAIDA "
                                + r + " ends FF FF FF FF and would put it into another locker; use prepareRemove");
                    }
                }
            }
            coins.add(f.coin());
        }
        return pans;
    }

    private static boolean bit(byte[] p, int skip, int i) {
        return (p[skip + i / 8] >> (i % 8) & 1) != 0;
    }

    private static void xorInto(byte[] acc, byte[] an) {
        for (int i = 0; i < KEY; i++) {
            acc[i] ^= an[i];
        }
    }

    private static <T> void cancelTogether(CompletableFuture<T> out, List<? extends CompletableFuture<?>> parts) {
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                parts.forEach(c -> c.cancel(false));
            }
        });
    }

    /** The key coin, or {@code null} for unencrypted requests. */
    public KeyCoin key() {
        return key;
    }
}
