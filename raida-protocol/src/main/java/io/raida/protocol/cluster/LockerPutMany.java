package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * store_multiple_sum (8/88, lockers.md §3): several lockers in one request, each judged alone on
 * each RAIDA. Packs the lockers into as few requests as 255 lockers and the body limit allow; a
 * locker is never split across requests, since its sum proves all its coins at once.
 */
final class LockerPutMany {
    /** 8/88. */
    static final int PUT_MULTIPLE = 88;
    /** Coins one locker of an 8/88 request can hold ({@code nc} is two bytes). */
    static final int MAX_COINS_PER_LOCKER = 0xFFFF;

    private LockerPutMany() {
    }

    /**
     * One locker of an 8/88 request.
     *
     * @param keys  its 25 locker keys
     * @param coins its coins
     */
    record Locker(byte[][] keys, List<Coin> coins) {
        /**
         * @return bytes in the payload: {@code nc(2) ‖ nc × (den ‖ SN) ‖ SU ‖ LK}
         */
        int size() {
            return 2 + coins.size() * CoinRecords.COIN + 2 * CoinRecords.AN;
        }
    }

    /**
     * Puts into every locker of {@code lockers} (see {@link LockerClient#putMany}).
     *
     * @param cluster  the cluster
     * @param requests how to key the requests
     * @param lockers  transmit code → coins, in the order of the results
     * @return one result per locker
     * @throws IllegalArgumentException as {@link LockerClient#putMany} says
     */
    static CompletableFuture<List<BatchResult>> send(RaidaCluster cluster, KeyedRequests requests,
                                                     Map<String, List<Coin>> lockers) {
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
            List<Coin> coins = LockerFiles.requireCoins(e.getValue());
            if (coins.size() > MAX_COINS_PER_LOCKER) {
                throw new IllegalArgumentException("locker " + (index + 1) + " has " + coins.size()
                        + " coins; 8/88 carries at most " + MAX_COINS_PER_LOCKER + " per locker: use put");
            }
            everyCoin.addAll(coins);
            all.add(new Locker(LockerFiles.keys(code), coins));
            index++;
        }
        LockerFiles.requireDistinct(everyCoin);
        List<CompletableFuture<List<BatchResult>>> parts = new ArrayList<>();
        for (List<Locker> group : pack(all, cluster.options().maxBodySize(), requests.overhead())) {
            parts.add(putGroup(cluster, requests, group));
        }
        return CoinBatch.all(parts, results -> {
            List<BatchResult> out = new ArrayList<>();
            results.forEach(out::addAll);
            return List.copyOf(out);
        });
    }

    /**
     * The lockers grouped into requests, in order: a new request when one holds 255 lockers or the
     * next locker would pass the body limit.
     *
     * @param all      the lockers
     * @param maxBody  the body limit
     * @param overhead body bytes besides the payload
     * @return the groups
     * @throws IllegalArgumentException if a locker alone does not fit one request
     */
    static List<List<Locker>> pack(List<Locker> all, int maxBody, int overhead) {
        int budget = maxBody - overhead - 1;
        List<List<Locker>> requests = new ArrayList<>();
        List<Locker> current = new ArrayList<>();
        int used = 0;
        for (int k = 0; k < all.size(); k++) {
            int size = all.get(k).size();
            if (size > budget) {
                throw new IllegalArgumentException("locker " + (k + 1) + " (" + all.get(k).coins().size()
                        + " coins) does not fit one request of " + maxBody + " bytes; use put, which splits it");
            }
            if (current.size() == LockerClient.MAX_LOCKERS_PER_REQUEST || used + size > budget) {
                requests.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(all.get(k));
            used += size;
        }
        requests.add(current);
        return requests;
    }

    private static CompletableFuture<List<BatchResult>> putGroup(RaidaCluster cluster, KeyedRequests requests,
                                                                 List<Locker> group) {
        int nl = group.size();
        ClusterCall call = requests.call(LockerStep.LOCKERS, PUT_MULTIPLE, id -> payload(group, id))
                .replyCheck((id, r) -> plausible(r, nl)).build();
        return cluster.call(call).thenApply(reply -> {
            char[][] verdicts = new char[nl][RaidaNetwork.SIZE];
            for (RaidaOutcome o : reply.outcomes()) {
                char[] v = verdicts(o, nl);
                for (int k = 0; k < nl; k++) {
                    verdicts[k][o.raidaId()] = v[k];
                }
            }
            List<BatchResult> out = new ArrayList<>();
            for (int k = 0; k < nl; k++) {
                Locker l = group.get(k);
                List<CoinResult> coins = new ArrayList<>();
                for (Coin c : l.coins()) {
                    coins.add(LockerStep.PUT.result(c, verdicts[k], l.keys()));
                }
                out.add(new BatchResult(coins, List.of(reply)));
            }
            return out;
        });
    }

    /**
     * @param group the lockers of the request
     * @param id    the RAIDA
     * @return {@code nl(1)}, then per locker {@code nc(2) ‖ nc × (den ‖ SN) ‖ SU ‖ LK}
     */
    static byte[] payload(List<Locker> group, int id) {
        int size = 1;
        for (Locker l : group) {
            size += l.size();
        }
        byte[] p = new byte[size];
        p[0] = (byte) group.size();
        int o = 1;
        for (Locker l : group) {
            int nc = l.coins().size();
            Bytes.putU16(p, o, nc);
            o += 2;
            for (Coin c : l.coins()) {
                o = CoinRecords.writeCoin(p, o, c);
            }
            System.arraycopy(CoinRecords.sum(l.coins(), 0, nc, id), 0, p, o, CoinRecords.AN);
            System.arraycopy(l.keys()[id], 0, p, o + CoinRecords.AN, CoinRecords.AN);
            o += 2 * CoinRecords.AN;
        }
        return p;
    }

    /**
     * 8/88 replies: 241/242 (body ignored); 243 with ⌈nl/8⌉ bytes, or 4 zero bytes and then those.
     *
     * @param r  the reply
     * @param nl the lockers of the request
     * @return whether it is plausible
     */
    static boolean plausible(RaidaResponse r, int nl) {
        if (r.status() != StatusCode.STATUS_MIXED.code()) {
            return true;
        }
        byte[] p = r.payload();
        int bytes = (nl + 7) / 8;
        return p.length == bytes || p.length == bytes + 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
    }

    /**
     * Per locker the verdict of one RAIDA's 8/88 outcome.
     *
     * @param o  the outcome
     * @param nl the lockers of the request
     * @return {@link LockerStep#TOOK}, {@code f}, {@code e} or the failure letter per locker
     */
    static char[] verdicts(RaidaOutcome o, int nl) {
        // a 243 may carry 4 zero bytes before its bitmap (plausible above)
        int skip = o.replied() && o.response().payloadLength() != (nl + 7) / 8 ? 4 : 0;
        return LockerStep.retried(o, PassFailReply.letters(o, nl, LockerStep.TOOK, skip));
    }
}
