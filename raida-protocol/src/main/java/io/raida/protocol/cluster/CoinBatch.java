package io.raida.protocol.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A batch of coins sent as one command to all 25 RAIDA, split into as many requests as the body
 * limit needs (auth.md §2: a RAIDA answers per request, so each request is graded alone).
 * The part every batch command shares: the split, one fan-out per request, waiting for all of
 * them (cancelling the rest when the caller cancels), and per coin the letters of each RAIDA.
 */
final class CoinBatch {
    private CoinBatch() {
    }

    /**
     * One request of a batch: coins {@code [from, to)} and the fan-out's reply.
     *
     * @param from  the first coin of the request (index into the batch)
     * @param to    one past the last coin
     * @param reply the outcomes of the 25 RAIDA
     */
    record Chunk(int from, int to, ClusterReply reply) {
        /**
         * @return the number of coins of the request
         */
        int size() {
            return to - from;
        }

        /**
         * Per coin of the request its letter from each RAIDA.
         *
         * @param read one RAIDA's outcome and the coin count → one letter per coin
         * @return {@code [coin][raidaId]}
         */
        char[][] letters(BiFunction<RaidaOutcome, Integer, char[]> read) {
            int n = size();
            char[][] letters = new char[n][RaidaNetwork.SIZE];
            for (RaidaOutcome o : reply.outcomes()) {
                char[] l = read.apply(o, n);
                for (int j = 0; j < n; j++) {
                    letters[j][o.raidaId()] = l[j];
                }
            }
            return letters;
        }
    }

    /**
     * Splits {@code coins} coins into requests that fit the cluster's body limit and starts one
     * fan-out per request.
     *
     * @param cluster  the cluster
     * @param overhead body bytes besides the payload ({@link KeyedRequests#overhead()})
     * @param record   payload bytes per coin
     * @param fixed    payload bytes after the coin records
     * @param coins    the number of coins
     * @param callOf   {@code (from, to)} → the fan-out for those coins
     * @param read     the requests in order → the result
     * @param <R>      the result
     * @return the result, once every fan-out completed; cancelling it cancels them
     * @throws IllegalArgumentException if the body limit cannot hold one coin
     */
    static <R> CompletableFuture<R> send(RaidaCluster cluster, int overhead, int record, int fixed, int coins,
                                         BiFunction<Integer, Integer, ClusterCall> callOf,
                                         Function<List<Chunk>, R> read) {
        int per = RequestSplitter.coinsPerRequest(record, fixed, overhead, cluster.options().maxBodySize());
        List<int[]> ranges = RequestSplitter.split(coins, per);
        List<CompletableFuture<ClusterReply>> calls = new ArrayList<>();
        for (int[] range : ranges) {
            calls.add(cluster.call(callOf.apply(range[0], range[1])));
        }
        return all(calls, replies -> {
            List<Chunk> chunks = new ArrayList<>(ranges.size());
            for (int k = 0; k < ranges.size(); k++) {
                chunks.add(new Chunk(ranges.get(k)[0], ranges.get(k)[1], replies.get(k)));
            }
            return read.apply(chunks);
        });
    }

    /**
     * @param chunks the requests of a batch
     * @return their replies, in order
     */
    static List<ClusterReply> replies(List<Chunk> chunks) {
        List<ClusterReply> out = new ArrayList<>(chunks.size());
        chunks.forEach(c -> out.add(c.reply()));
        return out;
    }

    /**
     * Completes with what {@code read} makes of every part's value once all completed; cancelling it cancels the parts, so
     * that a caller who gives up stops every fan-out of the batch.
     *
     * @param parts the futures to wait for
     * @param read  their values, in order → the result
     * @param <T>   their value
     * @param <R>   the result
     * @return the result
     */
    static <T, R> CompletableFuture<R> all(List<? extends CompletableFuture<T>> parts, Function<List<T>, R> read) {
        CompletableFuture<R> out = CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> {
                    List<T> l = new ArrayList<>(parts.size());
                    parts.forEach(c -> l.add(c.join()));
                    return read.apply(l);
                });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                parts.forEach(c -> c.cancel(false));
            }
        });
        return out;
    }

    /**
     * A copy of {@code coins}, checked.
     *
     * @param coins        the coins of a call
     * @param emptyMessage the message when there is none
     * @return an immutable copy
     * @throws IllegalArgumentException if there is no coin
     */
    static List<Coin> requireCoins(List<Coin> coins, String emptyMessage) {
        Objects.requireNonNull(coins, "coins");
        if (coins.isEmpty()) {
            throw new IllegalArgumentException(emptyMessage);
        }
        for (Coin c : coins) {
            Objects.requireNonNull(c, "coin");
        }
        return List.copyOf(coins);
    }

    /**
     * Copies of 25 PANs per coin.
     *
     * @param coins the number of coins
     * @param pans  per coin 25 PANs (RAIDA 0 first)
     * @return {@code [coin][raidaId]}
     * @throws IllegalArgumentException if there is not one PAN set per coin or a set is not 25 × 16 bytes
     */
    static byte[][][] copyPans(int coins, List<List<byte[]>> pans) {
        Objects.requireNonNull(pans, "pans");
        if (pans.size() != coins) {
            throw new IllegalArgumentException(coins + " coins but " + pans.size() + " PAN sets");
        }
        byte[][][] p = new byte[pans.size()][][];
        for (int i = 0; i < p.length; i++) {
            p[i] = Coin.copyAns(pans.get(i));
        }
        return p;
    }
}
