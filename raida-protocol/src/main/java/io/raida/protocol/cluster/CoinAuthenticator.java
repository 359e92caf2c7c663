package io.raida.protocol.cluster;

import io.raida.protocol.client.RaidaResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The authentication commands of auth.md §2 for a batch of coins on all 25 RAIDA: detect (1/10),
 * detect_sum (1/11), pown (1/20) and pown_sum (1/21). A batch is split into as many requests as
 * the body limit ({@link ClusterOptions#maxBodySize()}) needs; each RAIDA gets the ANs it holds and,
 * with a key coin, requests encrypted with that RAIDA's AN of the key coin. The result gives per
 * coin its POWN string and grade (auth.md §3).
 *
 * <p>detect and detect_sum complete as soon as every coin's grade is decided. pown and pown_sum
 * wait for every RAIDA (or the deadline): a pown changes ANs, so the client must learn every
 * answer. A pown attempt whose reply was lost may have been applied: its retry then reports
 * {@code f} for the coins the first attempt changed; detect with the new ANs tells.
 */
public final class CoinAuthenticator {
    private final RaidaCluster cluster;
    private final KeyCoin key;
    private final boolean early;

    private CoinAuthenticator(RaidaCluster cluster, KeyCoin key, boolean early) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.key = key;
        this.early = early;
    }

    /**
     * Whether detect and detect_sum complete as soon as every coin's grade is decided (the
     * default), or wait for every RAIDA (or the deadline) so that each POWN letter is final. After
     * an early completion the RAIDA that had not answered yet show {@code n}.
     *
     * @param whenDecided {@code false} to wait for every RAIDA
     * @return this authenticator
     */
    public CoinAuthenticator completeWhenDecided(boolean whenDecided) {
        return new CoinAuthenticator(cluster, key, whenDecided);
    }

    /**
     * Unencrypted (type 0) requests.
     *
     * @param cluster the cluster to send through (not closed)
     * @return the authenticator
     */
    public static CoinAuthenticator unencrypted(RaidaCluster cluster) {
        return new CoinAuthenticator(cluster, null, true);
    }

    /**
     * Requests encrypted with {@code key} (type 1 or 4, each RAIDA with its AN of the key coin).
     *
     * @param cluster the cluster to send through (not closed)
     * @param key the key coin
     * @return the authenticator
     */
    public static CoinAuthenticator keyedWith(RaidaCluster cluster, KeyCoin key) {
        return new CoinAuthenticator(cluster, Objects.requireNonNull(key, "key"), true);
    }

    /**
     * detect (1/10): does each RAIDA hold the AN we hold for it?
     *
     * @param coins the coins to check
     * @return the grades and new POWN strings; split into as many requests as the body size needs
     */
    public CompletableFuture<BatchResult> detect(List<Coin> coins) {
        return run(Command.DETECT, coins, null);
    }

    /**
     * detect_sum (1/11): per RAIDA one verdict for the XOR of the ANs of each request's coins.
     *
     * @param coins the coins to check
     * @return the grades and new POWN strings
     */
    public CompletableFuture<BatchResult> detectSum(List<Coin> coins) {
        return run(Command.DETECT_SUM, coins, null);
    }

    /**
     * pown (1/20): each RAIDA where a coin's AN passes replaces it with the coin's PAN for that RAIDA.
     *
     * @param pans per coin, 25 PANs (RAIDA 0 first)
     * @param coins the coins to re-key
     * @return the grades and, per coin, the RAIDA that took the PAN
     */
    public CompletableFuture<BatchResult> pown(List<Coin> coins, List<List<byte[]>> pans) {
        return run(Command.POWN, coins, CoinBatch.copyPans(coins.size(), pans));
    }

    /**
     * pown_sum (1/21): on each RAIDA where the XOR of the request's coins passes, every coin's AN
     * becomes {@code AN ^ DELTA} with that RAIDA's DELTA.
     *
     * @param deltas 25 DELTAs of 16 bytes, RAIDA 0 first
     * @param coins the coins to re-key
     * @return the grades and, per coin, the RAIDA that took the new AN
     */
    public CompletableFuture<BatchResult> pownSum(List<Coin> coins, List<byte[]> deltas) {
        byte[][] d = Coin.copyAns(deltas);
        byte[][][] p = new byte[coins.size()][RaidaNetwork.SIZE][];
        for (int c = 0; c < coins.size(); c++) {
            for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                p[c][r] = CoinRecords.xor(coins.get(c).anRef(r), d[r]);
            }
        }
        return run(Command.POWN_SUM, coins, p, d);
    }

    enum Command {
        DETECT(10, 21, 0, false, false),
        DETECT_SUM(11, 5, 16, true, false),
        POWN(20, 37, 0, false, true),
        POWN_SUM(21, 5, 32, true, true);

        final int code;
        final int record;
        final int fixed;
        final boolean sum;
        final boolean pown;

        Command(int code, int record, int fixed, boolean sum, boolean pown) {
            this.code = code;
            this.record = record;
            this.fixed = fixed;
            this.sum = sum;
            this.pown = pown;
        }
    }

    private CompletableFuture<BatchResult> run(Command cmd, List<Coin> coins, byte[][][] pans) {
        return run(cmd, coins, pans, null);
    }

    private CompletableFuture<BatchResult> run(Command cmd, List<Coin> coinList, byte[][][] pans, byte[][] deltas) {
        List<Coin> coins = CoinBatch.requireCoins(coinList, "no coins given");
        KeyedRequests requests = new KeyedRequests(key);
        return CoinBatch.send(cluster, requests.overhead(), cmd.record, cmd.fixed, coins.size(),
                (from, to) -> chunkCall(requests, cmd, coins, pans, deltas, from, to), chunks -> {
                    List<CoinResult> results = new ArrayList<>(coins.size());
                    for (CoinBatch.Chunk chunk : chunks) {
                        char[][] letters = chunk.letters((o, n) -> letters(o, n, cmd));
                        for (int j = 0; j < chunk.size(); j++) {
                            int c = chunk.from() + j;
                            results.add(result(coins.get(c), PownString.ofChars(letters[j]), pans == null ? null : pans[c]));
                        }
                    }
                    return new BatchResult(results, CoinBatch.replies(chunks));
                });
    }

    private static CoinResult result(Coin coin, PownString pown, byte[][] pans) {
        List<Integer> took = new ArrayList<>();
        Coin updated = coin.withPown(pown);
        if (pans != null) {
            List<byte[]> ans = coin.ans();
            for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                if (pown.letter(r) == 'p') {
                    ans.set(r, pans[r]);
                    took.add(r);
                }
            }
            updated = updated.withAns(ans);
        }
        return new CoinResult(updated, pown.grade(), took);
    }

    private ClusterCall chunkCall(KeyedRequests requests, Command cmd, List<Coin> coins, byte[][][] pans,
                                  byte[][] deltas, int from, int to) {
        int n = to - from;
        return requests.call(1, cmd.code, id -> payload(cmd, coins, pans, deltas, from, to, id))
                .replyCheck((id, r) -> plausible(r, n, cmd))
                .decision(cmd.pown || !early ? DecisionRule.allOutcomes() : finished -> gradesDecided(finished, n, cmd))
                .build();
    }

    /**
     * The payload of coins {@code [from, to)} for RAIDA {@code id} (auth.md §2): per coin
     * {@code den ‖ SN}, then its AN (and PAN for pown), or for the sum commands one XOR of the ANs
     * (and the DELTA for pown_sum) after the coins. find (2/60) has pown's layout, get_ticket (2/40)
     * detect's.
     */
    static byte[] payload(Command cmd, List<Coin> coins, byte[][][] pans, byte[][] deltas, int from, int to, int id) {
        byte[] p = new byte[(to - from) * cmd.record + cmd.fixed];
        int o = 0;
        for (int j = from; j < to; j++) {
            Coin c = coins.get(j);
            o = CoinRecords.writeCoin(p, o, c);
            if (!cmd.sum) {
                System.arraycopy(c.anRef(id), 0, p, o, CoinRecords.AN);
                o += CoinRecords.AN;
                if (cmd.pown) {
                    System.arraycopy(pans[j][id], 0, p, o, CoinRecords.AN);
                    o += CoinRecords.AN;
                }
            }
        }
        if (cmd.sum) {
            System.arraycopy(CoinRecords.sum(coins, from, to, id), 0, p, o, CoinRecords.AN);
            o += CoinRecords.AN;
            if (cmd.pown) {
                System.arraycopy(deltas[id], 0, p, o, CoinRecords.AN);
            }
        }
        return p;
    }

    /** A reply's body must fit its status: none for 241/242, a bitmap of ⌈n/8⌉ bytes for 243 (detect/pown only). */
    static boolean plausible(RaidaResponse r, int n, Command cmd) {
        return PassFailReply.plausible(r, n, !cmd.sum, 0);
    }

    /** The POWN letters of {@code n} coins from one RAIDA's outcome. */
    static char[] letters(RaidaOutcome o, int n, Command cmd) {
        return PassFailReply.letters(o, n, 'p', cmd.sum ? -1 : 0);
    }

    /** Whether every coin's grade is decided whatever the RAIDA still out answer (auth.md §3). */
    static boolean gradesDecided(Map<Integer, RaidaOutcome> finished, int n, Command cmd) {
        int[] passes = new int[n];
        int[] fails = new int[n];
        for (RaidaOutcome o : finished.values()) {
            char[] l = letters(o, n, cmd);
            for (int j = 0; j < n; j++) {
                passes[j] += l[j] == 'p' ? 1 : 0;
                fails[j] += l[j] == 'f' ? 1 : 0;
            }
        }
        int outstanding = RaidaNetwork.SIZE - finished.size();
        for (int j = 0; j < n; j++) {
            if (Grade.decided(passes[j], fails[j], outstanding) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key coin, or {@code null} for unencrypted requests.
     *
     * @return the key, or {@code null}
     */
    public KeyCoin key() {
        return key;
    }
}
