package io.raida.protocol.cluster;

import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RaidaResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A locker step over a batch of coins (lockers.md): put (8/82), remove (8/84), and find (2/60)
 * that recovers either. Each knows its payload layout, which reply bodies fit, and how one RAIDA's
 * reply reads per coin; {@link #send} runs it on all 25 RAIDA, split as the body limit needs.
 */
enum LockerStep {
    /** 8/82: n × {@code den ‖ SN}, then {@code SU ‖ LK}. */
    PUT(LockerStep.LOCKERS, 82, CoinRecords.COIN, 2 * CoinRecords.AN),
    /** 8/84: {@code LK}, then n × {@code den ‖ SN ‖ newAN}. */
    REMOVE(LockerStep.LOCKERS, 84, CoinRecords.COIN + CoinRecords.AN, CoinRecords.AN),
    /** 2/60: n × {@code den ‖ SN ‖ AN ‖ PAN}. */
    FIND(2, FindRound.FIND, CoinRecords.COIN + 2 * CoinRecords.AN, 0);

    /** The locker command group. */
    static final int LOCKERS = 8;
    /** Per-coin verdict besides the POWN letters: the step took (AN := PAN). */
    static final char TOOK = 'T';
    /** Per-coin verdict besides the POWN letters: find said the RAIDA holds the AN. */
    static final char HELD = 'H';

    final int group;
    final int code;
    final int record;
    final int fixed;

    LockerStep(int group, int code, int record, int fixed) {
        this.group = group;
        this.code = code;
        this.record = record;
        this.fixed = fixed;
    }

    /**
     * Runs the step for {@code coins} on all 25 RAIDA, waiting for every RAIDA or the deadline:
     * each answer is needed to know where the coins are.
     *
     * @param cluster  the cluster
     * @param requests how to key the requests
     * @param coins    the coins, checked
     * @param pans     per coin the 25 ANs it gets where the step takes (put: the locker keys)
     * @param lk       the 25 locker keys (put, remove), or {@code null} (find)
     * @return per coin its letters, grade and ANs
     */
    CompletableFuture<BatchResult> send(RaidaCluster cluster, KeyedRequests requests, List<Coin> coins,
                                        byte[][][] pans, byte[][] lk) {
        return CoinBatch.send(cluster, requests.overhead(), record, fixed, coins.size(),
                (from, to) -> requests.call(group, code, id -> payload(coins, pans, lk, from, to, id))
                        .replyCheck((id, r) -> plausible(r, to - from)).build(),
                chunks -> {
                    List<CoinResult> results = new ArrayList<>(coins.size());
                    for (CoinBatch.Chunk chunk : chunks) {
                        char[][] verdicts = chunk.letters(this::verdicts);
                        for (int j = 0; j < chunk.size(); j++) {
                            int c = chunk.from() + j;
                            results.add(result(coins.get(c), verdicts[j], pans[c]));
                        }
                    }
                    return new BatchResult(results, CoinBatch.replies(chunks));
                });
    }

    /**
     * The payload of coins {@code [from, to)} for RAIDA {@code id}.
     *
     * @param coins the coins
     * @param pans  per coin 25 PANs (remove: the new ANs; find: the PANs to look for)
     * @param lk    the 25 locker keys (put, remove)
     * @param from  the first coin
     * @param to    one past the last
     * @param id    the RAIDA
     * @return the payload
     */
    byte[] payload(List<Coin> coins, byte[][][] pans, byte[][] lk, int from, int to, int id) {
        byte[] p = new byte[(to - from) * record + fixed];
        int o = 0;
        if (this == REMOVE) {
            System.arraycopy(lk[id], 0, p, 0, CoinRecords.AN);
            o = CoinRecords.AN;
        }
        for (int j = from; j < to; j++) {
            o = CoinRecords.writeCoin(p, o, coins.get(j));
            if (this == REMOVE) {
                System.arraycopy(pans[j][id], 0, p, o, CoinRecords.AN);
                o += CoinRecords.AN;
            } else if (this == FIND) {
                System.arraycopy(coins.get(j).anRef(id), 0, p, o, CoinRecords.AN);
                System.arraycopy(pans[j][id], 0, p, o + CoinRecords.AN, CoinRecords.AN);
                o += 2 * CoinRecords.AN;
            }
        }
        if (this == PUT) {
            System.arraycopy(CoinRecords.sum(coins, from, to, id), 0, p, o, CoinRecords.AN);
            System.arraycopy(lk[id], 0, p, o + CoinRecords.AN, CoinRecords.AN);
        }
        return p;
    }

    /**
     * Whether a reply's body fits its status. Put: any (241/242 carry none; nothing is read). Remove:
     * a 243 needs at least ⌈n/8⌉ bitmap bytes (a reference sends ⌊n/8⌋ + 1, D-58). Find: a 211 needs
     * exactly n bytes of 0, 1 or 2.
     *
     * @param r the reply
     * @param n the coins of the request
     * @return whether it is plausible
     */
    boolean plausible(RaidaResponse r, int n) {
        if (this == REMOVE && r.status() == StatusCode.STATUS_MIXED.code()) {
            return r.payloadLength() >= (n + 7) / 8;
        }
        return this != FIND || FindReply.plausible(r, n, false);
    }

    /**
     * The verdicts of {@code n} coins from one RAIDA's outcome: {@link #TOOK}, {@link #HELD} (find),
     * {@code f}, {@code e}, or the failure letter.
     *
     * @param o the outcome
     * @param n the coins of the request
     * @return one verdict per coin
     */
    char[] verdicts(RaidaOutcome o, int n) {
        if (this != FIND) {
            return retried(o, PassFailReply.letters(o, n, TOOK, this == REMOVE ? 0 : -1));
        }
        char[] v = new char[n];
        FindResult.Match[] matches = FindReply.matches(o, n);
        for (int j = 0; j < n; j++) {
            FindResult.Match m = matches[j];
            v[j] = m == FindResult.Match.PAN ? TOOK : m == FindResult.Match.AN ? HELD : FindRound.letter(o, m);
        }
        return v; // find changes nothing: a retry's answer is as good as the first
    }

    /**
     * After more than one attempt, an earlier attempt may have been applied with its reply lost: a
     * refusal then proves nothing and counts as no reply ({@link LockerClient#recover} settles it).
     *
     * @param o the outcome
     * @param v the verdicts, changed
     * @return {@code v}
     */
    static char[] retried(RaidaOutcome o, char[] v) {
        if (o.attempts() > 1) {
            for (int j = 0; j < v.length; j++) {
                v[j] = v[j] == 'f' ? 'n' : v[j];
            }
        }
        return v;
    }

    /**
     * The coin after the step: AN := PAN where it took, POWN letters from the verdicts.
     *
     * @param coin     the coin as sent
     * @param verdicts per RAIDA
     * @param pans     the coin's 25 PANs
     * @return the coin, its grade and the RAIDA where it took
     */
    CoinResult result(Coin coin, char[] verdicts, byte[][] pans) {
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
            } else if (this == FIND && v != 'f' && coin.pown().letter(r) == 'p') {
                letters[r] = 'p'; // no answer now; what the file already knew stands
            } else {
                letters[r] = v;
            }
        }
        PownString pown = PownString.ofChars(letters);
        return new CoinResult(coin.withAns(ans).withPown(pown), pown.grade(), took);
    }
}
