package io.raida.protocol.cluster;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Body bytes besides the payload for types 0/1: challenge (16) and terminator (2). */
    private static final int LEGACY_OVERHEAD = 18;
    /** Body bytes besides the payload for type 4: HMAC (32) and terminator (2). */
    private static final int MODERN_OVERHEAD = 34;

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
        Objects.requireNonNull(pans, "pans");
        if (pans.size() != coins.size()) {
            throw new IllegalArgumentException(coins.size() + " coins but " + pans.size() + " PAN sets");
        }
        byte[][][] p = new byte[pans.size()][][];
        for (int i = 0; i < p.length; i++) {
            p[i] = Coin.copyAns(pans.get(i));
        }
        return run(Command.POWN, coins, p);
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
                p[c][r] = xor(coins.get(c).anRef(r), d[r]);
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
        List<Coin> coins = List.copyOf(Objects.requireNonNull(coinList, "coins"));
        if (coins.isEmpty()) {
            throw new IllegalArgumentException("no coins given");
        }
        int overhead = key != null && key.type() == EncryptionType.AES256_ONE_COIN ? MODERN_OVERHEAD : LEGACY_OVERHEAD;
        int per = RequestSplitter.coinsPerRequest(cmd.record, cmd.fixed, overhead, cluster.options().maxBodySize());
        List<int[]> chunks = RequestSplitter.split(coins.size(), per);
        List<CompletableFuture<ClusterReply>> calls = new ArrayList<>();
        for (int[] range : chunks) {
            calls.add(cluster.call(chunkCall(cmd, coins, pans, deltas, range[0], range[1])));
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
                        char[][] letters = new char[n][RaidaNetwork.SIZE];
                        for (RaidaOutcome o : reply.outcomes()) {
                            char[] l = letters(o, n, cmd);
                            for (int j = 0; j < n; j++) {
                                letters[j][o.raidaId()] = l[j];
                            }
                        }
                        for (int j = 0; j < n; j++) {
                            results.add(result(coins.get(from + j), PownString.ofChars(letters[j]),
                                    pans == null ? null : pans[from + j]));
                        }
                    }
                    return new BatchResult(results, replies);
                });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                calls.forEach(c -> c.cancel(false));
            }
        });
        return out;
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

    private ClusterCall chunkCall(Command cmd, List<Coin> coins, byte[][][] pans, byte[][] deltas, int from, int to) {
        int n = to - from;
        ClusterRequests requests = (id, mode) -> {
            byte[] payload = payload(cmd, coins, pans, deltas, from, to, id);
            RequestBuilder b = RequestBuilder.command(id, 1, cmd.code).payload(payload);
            return (key == null ? b : key.apply(b, id, mode)).build();
        };
        ClusterCall.Builder b = ClusterCall.builder(requests)
                .replyCheck((id, r) -> plausible(r, n, cmd))
                .decision(cmd.pown || !early ? DecisionRule.allOutcomes() : finished -> gradesDecided(finished, n, cmd));
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return b.build();
    }

    static byte[] payload(Command cmd, List<Coin> coins, byte[][][] pans, byte[][] deltas, int from, int to, int id) {
        int n = to - from;
        byte[] p = new byte[n * cmd.record + cmd.fixed];
        byte[] xor = new byte[16];
        int o = 0;
        for (int j = from; j < to; j++) {
            Coin c = coins.get(j);
            p[o] = (byte) c.denomination();
            long sn = c.serialNumber();
            p[o + 1] = (byte) (sn >>> 24);
            p[o + 2] = (byte) (sn >>> 16);
            p[o + 3] = (byte) (sn >>> 8);
            p[o + 4] = (byte) sn;
            o += 5;
            byte[] an = c.anRef(id);
            if (cmd.sum) {
                for (int i = 0; i < 16; i++) {
                    xor[i] ^= an[i];
                }
            } else {
                System.arraycopy(an, 0, p, o, 16);
                o += 16;
                if (cmd.pown) {
                    System.arraycopy(pans[j][id], 0, p, o, 16);
                    o += 16;
                }
            }
        }
        if (cmd.sum) {
            System.arraycopy(xor, 0, p, o, 16);
            o += 16;
            if (cmd.pown) {
                System.arraycopy(deltas[id], 0, p, o, 16);
            }
        }
        return p;
    }

    /** A reply's body must fit its status: none for 241/242, a bitmap of ⌈n/8⌉ bytes for 243 (detect/pown only). */
    static boolean plausible(RaidaResponse r, int n, Command cmd) {
        byte[] p = r.payload();
        if (r.status() == StatusCode.STATUS_MIXED.code()) {
            if (cmd.sum || p.length != (n + 7) / 8) {
                return false;
            }
            int passes = 0;
            for (int i = 0; i < p.length * 8; i++) {
                boolean bit = (p[i / 8] >> (i % 8) & 1) != 0;
                if (bit && i >= n) {
                    return false; // a bit for a coin that was not sent
                }
                passes += bit ? 1 : 0;
            }
            return passes > 0 && passes < n; // all or none would have been 241/242
        }
        if (r.status() == StatusCode.STATUS_ALL_PASS.code() || r.status() == StatusCode.STATUS_ALL_FAIL.code()) {
            return p.length == 0;
        }
        return true;
    }

    /** The POWN letters of {@code n} coins from one RAIDA's outcome. */
    static char[] letters(RaidaOutcome o, int n, Command cmd) {
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
        } else if (s == StatusCode.STATUS_MIXED.code() && !cmd.sum) {
            byte[] bitmap = o.response().payload();
            for (int i = 0; i < n; i++) {
                l[i] = (bitmap[i / 8] >> (i % 8) & 1) != 0 ? 'p' : 'f';
            }
        } else {
            Arrays.fill(l, 'e');
        }
        return l;
    }

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

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] r = new byte[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (byte) (a[i] ^ b[i]);
        }
        return r;
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
