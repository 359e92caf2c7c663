package io.raida.protocol.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * find (2/60) over all 25 RAIDA for a batch of coins (healing.md §3): per coin and RAIDA whether
 * the RAIDA holds the AN the client holds, the PAN it proposed, or neither. Where the PAN
 * matched the coin adopts it as its AN: that is how a coin in limbo learns what a lost pown, put,
 * remove or fix did. No state changes on any RAIDA.
 */
final class FindRound {
    /** 2/60. */
    static final int FIND = 60;

    private FindRound() {
    }

    /**
     * Runs find for {@code coins} with {@code pans}.
     *
     * @param cluster  the cluster
     * @param requests how to key the requests
     * @param coins    the coins (their ANs), checked
     * @param pans     per coin 25 PANs
     * @return per coin the match on each RAIDA and the coin with what it holds
     */
    static CompletableFuture<FindResult> find(RaidaCluster cluster, KeyedRequests requests, List<Coin> coins,
                                              byte[][][] pans) {
        return CoinBatch.send(cluster, requests.overhead(), CoinAuthenticator.Command.POWN.record, 0, coins.size(),
                (from, to) -> requests.call(2, FIND, id -> CoinAuthenticator.payload(
                                CoinAuthenticator.Command.POWN, coins, pans, null, from, to, id))
                        .replyCheck((id, r) -> FindReply.plausible(r, to - from, true)).build(),
                chunks -> read(coins, pans, chunks));
    }

    private static FindResult read(List<Coin> coins, byte[][][] pans, List<CoinBatch.Chunk> chunks) {
        List<Coin> out = new ArrayList<>(coins.size());
        List<List<FindResult.Match>> matches = new ArrayList<>(coins.size());
        for (CoinBatch.Chunk chunk : chunks) {
            int n = chunk.size();
            FindResult.Match[][] m = new FindResult.Match[n][RaidaNetwork.SIZE];
            char[][] letters = new char[n][RaidaNetwork.SIZE];
            for (RaidaOutcome o : chunk.reply().outcomes()) {
                FindResult.Match[] here = FindReply.matches(o, n);
                for (int j = 0; j < n; j++) {
                    m[j][o.raidaId()] = here[j];
                    letters[j][o.raidaId()] = letter(o, m[j][o.raidaId()]);
                }
            }
            for (int j = 0; j < n; j++) {
                int i = chunk.from() + j;
                List<byte[]> ans = coins.get(i).ans();
                for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                    if (m[j][r] == FindResult.Match.PAN) {
                        ans.set(r, pans[i][r]);
                    }
                }
                out.add(coins.get(i).withAns(ans).withPown(PownString.ofChars(letters[j])));
                matches.add(Arrays.asList(m[j]));
            }
        }
        return new FindResult(out, matches, CoinBatch.replies(chunks));
    }

    /**
     * The POWN letter of a find match: a RAIDA that holds either key of the coin knows it.
     *
     * @param o the RAIDA's outcome
     * @param m what it holds
     * @return {@code p} for AN or PAN, {@code f} for neither, else {@code e} or the failure letter
     */
    static char letter(RaidaOutcome o, FindResult.Match m) {
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
}
