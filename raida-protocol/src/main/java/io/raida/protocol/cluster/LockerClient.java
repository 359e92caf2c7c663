package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RequestBuilder;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** 8/83 peek. */
    static final int PEEK = 83;
    /** Lockers one 8/88 request can hold ({@code nl} is one byte). */
    public static final int MAX_LOCKERS_PER_REQUEST = 255;

    private final RaidaCluster cluster;
    private final KeyCoin key;
    private final KeyedRequests requests;

    private LockerClient(RaidaCluster cluster, KeyCoin key) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.key = key;
        this.requests = new KeyedRequests(key);
    }

    /**
     * Unencrypted (type 0) requests, what the clients in use send (lockers.md §4).
     *
     * @param cluster the cluster to send through
     * @return a locker client
     */
    public static LockerClient unencrypted(RaidaCluster cluster) {
        return new LockerClient(cluster, null);
    }

    /**
     * Requests encrypted with {@code key} (type 1 or 4, each RAIDA with its AN of the key coin).
     *
     * @param cluster the cluster to send through
     * @param key     the key coin, authentic on every RAIDA
     * @return a locker client
     */
    public static LockerClient keyedWith(RaidaCluster cluster, KeyCoin key) {
        return new LockerClient(cluster, Objects.requireNonNull(key, "key"));
    }

    // ---------------------------------------------------------------- sender

    /**
     * What the sender keeps before a put: per coin a coin file with the coin's current ANs, the
     * code's 25 locker keys as PANs (the ANs the coin has on each RAIDA where the put lands) and an
     * untried POWN string (until the put is settled no RAIDA's AN is known for sure).
     *
     * @param code  the transmit code
     * @param coins the coins to put
     * @return one file per coin, in order
     * @throws IllegalArgumentException if the code is refused ({@link LockerKey#normalize}) or no coin is given
     */
    public static List<CoinFile> preparePut(String code, List<Coin> coins) {
        return LockerFiles.preparePut(code, coins);
    }

    /**
     * Put (8/82): moves {@code coins} into the locker of {@code code} on every RAIDA where the XOR
     * of the ANs held for it is right. Per coin the result has the locker key as AN on every RAIDA
     * that took it (letter {@code p}) and its old AN elsewhere. Batches above the body limit are
     * split into several puts into the same locker. Heal the coins first: one wrong AN makes the
     * whole put fail on that RAIDA.
     *
     * @param code  the transmit code
     * @param coins the coins to put
     * @return per coin its letters, grade and ANs
     * @throws IllegalArgumentException if the code is refused, no coin is given or a coin is listed
     *                                  twice (a server refuses that put with 198, lockers.md §7)
     */
    public CompletableFuture<BatchResult> put(String code, List<Coin> coins) {
        byte[][] lk = LockerFiles.keys(code);
        List<Coin> list = LockerFiles.requireDistinct(LockerFiles.requireCoins(coins));
        byte[][][] pans = new byte[list.size()][][];
        Arrays.fill(pans, lk);
        return LockerStep.PUT.send(cluster, requests, list, pans, lk);
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
        return LockerPutMany.send(cluster, requests, lockers);
    }

    // ---------------------------------------------------------------- receiver

    /**
     * Peek (8/83): which coins each RAIDA lists in the locker of {@code code}. No state changes.
     *
     * @param code the transmit code
     * @return per RAIDA its listing, empty where it did not answer with one
     * @throws IllegalArgumentException if the code is refused
     */
    public CompletableFuture<LockerPeek> peek(String code) {
        byte[][] lk = LockerFiles.keys(code);
        ClusterCall call = requests.call(LockerStep.LOCKERS, PEEK, id -> lk[id].clone())
                .replyCheck((id, r) -> r.status() != StatusCode.STATUS_ALL_PASS.code()
                        || r.payloadLength() > 0 && r.payloadLength() % CoinRecords.COIN == 0)
                .build();
        return cluster.call(call).thenApply(reply -> {
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
        for (int off = 0; off < p.length; off += CoinRecords.COIN) {
            coins.add(LockerCoin.read(p, off)); // a reference server lists a coin put twice twice (D-55)
        }
        return Optional.of(List.copyOf(coins));
    }

    /**
     * What the receiver keeps before a remove: per coin a coin file whose ANs are the code's locker
     * keys and whose PANs are fresh random ANs (never ending {@code FF FF FF FF}, which would put the
     * coin in another locker). Write these files <em>before</em> calling {@link #remove}.
     *
     * @param code  the transmit code
     * @param coins the coins to take (as {@link #peek} lists them)
     * @return one file per coin, in order
     * @throws IllegalArgumentException if the code is refused, no coin is given or one is given twice
     */
    public static List<CoinFile> prepareRemove(String code, List<LockerCoin> coins) {
        return LockerFiles.prepareRemove(code, coins);
    }

    /**
     * Remove (8/84): takes the coins out of the locker of {@code code}, giving each on RAIDA
     * <i>i</i> its PAN for <i>i</i>. Per coin the result has the PAN as AN on every RAIDA whose bit
     * was set ({@code p}); elsewhere it keeps the file's AN. The body of the reply is read as the
     * spec says whatever its length (D-58: ⌊n/8⌋ + 1 bytes on every status; only 243 carries bits
     * that matter).
     *
     * @param code     the transmit code
     * @param prepared the files of {@link #prepareRemove}, written down before this call
     * @return per coin its letters, grade and ANs
     * @throws IllegalArgumentException if the code is refused, a file has no PANs, a PAN ends
     *                                  {@code FF FF FF FF} or a coin is given twice
     */
    public CompletableFuture<BatchResult> remove(String code, List<CoinFile> prepared) {
        byte[][] lk = LockerFiles.keys(code);
        Objects.requireNonNull(prepared, "prepared");
        List<Coin> coins = new ArrayList<>();
        byte[][][] pans = LockerFiles.pansOf(prepared, coins, true);
        return LockerStep.REMOVE.send(cluster, requests, LockerFiles.requireDistinct(coins), pans, lk);
    }

    // ---------------------------------------------------------------- both

    /**
     * The files to keep after a put or a remove: each coin as the result left it (ANs, POWN string)
     * with the PANs of the prepared file, so that {@link #recover} can settle the RAIDA that did not
     * answer.
     *
     * @param result   the result of {@link #put} or {@link #remove}
     * @param prepared the files of {@link #preparePut} or {@link #prepareRemove} the step was sent with
     * @return one file per coin, in order
     * @throws IllegalArgumentException if the result and the files do not name the same coins in the same order
     */
    public static List<CoinFile> keep(BatchResult result, List<CoinFile> prepared) {
        return LockerFiles.keep(result, prepared);
    }

    /**
     * Settles an interrupted put or remove with find (2/60, healing.md §2) on every RAIDA: per coin
     * and RAIDA, the stored AN equals the file's AN (1) → {@code p}, AN unchanged; equals its PAN (2)
     * → {@code p}, AN := PAN; neither (0) → {@code f}. A RAIDA that does not answer keeps a {@code p}
     * the file already had, else {@code n}. No state changes on any RAIDA.
     *
     * @param kept files with PANs: those of {@link #preparePut} / {@link #prepareRemove}, or of {@link #keep}
     * @return per coin its letters, grade and ANs as the RAIDA hold them
     * @throws IllegalArgumentException if a file has no PANs or a coin is given twice
     */
    public CompletableFuture<BatchResult> recover(List<CoinFile> kept) {
        Objects.requireNonNull(kept, "kept");
        List<Coin> coins = new ArrayList<>();
        byte[][][] pans = LockerFiles.pansOf(kept, coins, false);
        return LockerStep.FIND.send(cluster, requests, LockerFiles.requireDistinct(coins), pans, null);
    }

    /**
     * The RAIDA on which {@code coin} is known to sit in the locker of {@code code}: its POWN letter
     * there is {@code p} and its AN is that RAIDA's locker key. After a put (and {@link #recover}) a
     * sender counts the coin as sent when at least 13 RAIDA hold it (lockers.md §5).
     *
     * @param code the transmit code
     * @param coin the coin as a result or a kept file gives it
     * @return the RAIDA ids, ascending
     * @throws IllegalArgumentException if the code is refused
     */
    public static List<Integer> inLocker(String code, Coin coin) {
        return LockerFiles.inLocker(code, coin);
    }

    /**
     * The key coin, or {@code null} for unencrypted requests.
     *
     * @return the key coin or {@code null}
     */
    public KeyCoin key() {
        return key;
    }
}
