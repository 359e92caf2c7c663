package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-stage sync of integrity.md §8 with the recommended corrections, and the healing walk of §9.
 *
 * <ul>
 *   <li>Stage 1: votes go to all peers at once with one overall deadline (the reference asks them one
 *       after another, up to 48 s). Own roots are in the majority when ≥ 13 of 25 servers, self
 *       included, hold them.</li>
 *   <li>Stage 2: 14/5 ballots from the "no match" peers, kept together with their sender (D-36).
 *       Supporters of a value = senders of that ballot; supporters of our own value = us plus the peers
 *       that matched. A value needs ≥ 13 supporters; otherwise nothing is touched.</li>
 *   <li>Healing walk per differing denomination against a peer holding the majority ballot, on the
 *       immutable tree snapshot the vote was made with, so nothing the vote path uses is locked
 *       (D-38). Every node fetched with 14/2 is checked against its already verified parent
 *       ({@code SHA-256(left ‖ right)}, starting from the majority root), so a leaf hash is the
 *       majority's, and a page from 14/4 is written (atomically, through the page store) only if it
 *       hashes to that leaf (D-37). A failing or lying peer is dropped and the next majority peer is
 *       tried. The write is a compare-and-write ({@link PageStore#replacePageIf}) against the snapshot's
 *       leaf: a page changed here since the snapshot is left alone (counted in
 *       {@link IntegrityMetrics#healsSkipped()}) and looked at again next cycle.</li>
 * </ul>
 *
 * <p>A cycle stops early, between requests and before any write, once its thread is interrupted or
 * the node is closed: it then returns {@link SyncReport.Outcome#STOPPED} with the interrupt still set,
 * sends nothing more, and does not rebuild the trees.
 */
final class SyncEngine extends SyncStep {
    static final int SERVERS = 25;
    static final int MAJORITY = SERVERS / 2 + 1;
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    /** How often a wait for a peer looks at the node's closed flag. */

    private final int raidaId;
    private final List<InetSocketAddress> peers;
    private final IntegrityClient client;
    private final MerkleForest forest;
    private final PageStore store;
    private final IntegrityMetrics metrics;
    private final Duration voteDeadline;
    private final Duration requestTimeout;
    private final HealWalk heal;

    SyncEngine(int raidaId, List<InetSocketAddress> peers, IntegrityClient client, MerkleForest forest,
               PageStore store, IntegrityMetrics metrics, Duration voteDeadline, Duration requestTimeout,
               BooleanSupplier closed) {
        super(closed);
        this.raidaId = raidaId;
        this.peers = peers;
        this.client = client;
        this.forest = forest;
        this.store = store;
        this.metrics = metrics;
        this.voteDeadline = voteDeadline;
        this.requestTimeout = requestTimeout;
        this.heal = new HealWalk(peers, client, store, metrics, requestTimeout, closed);
    }

    SyncReport runCycle() {
        metrics.syncCycles.incrementAndGet();
        List<String> healed = new ArrayList<>();
        try {
            return cycle(healed);
        } catch (Stopped e) {
            metrics.syncCyclesStopped.incrementAndGet();
            LOG.info("sync cycle stopped early (node closing); {} page(s) healed before", healed.size());
            return new SyncReport(SyncReport.Outcome.STOPPED, 0, 0, List.of(), 0, 0, healed, 0);
        }
    }

    private SyncReport cycle(List<String> healed) throws Stopped {
        checkStop();
        forest.rebuild();
        checkStop(); // an interrupted rebuild publishes nothing new: do not vote with it
        MerkleForest.Snapshot snap = forest.snapshot();
        if (snap == null || !snap.complete()) {
            LOG.warn("sync cycle skipped: not every denomination has a tree");
            return new SyncReport(SyncReport.Outcome.SKIPPED, 0, 0, List.of(), 0, 0, List.of(), 0);
        }
        byte[] roots = snap.roots();

        // stage 1: all votes in parallel, one deadline
        Map<Integer, CompletableFuture<IntegrityClient.Vote>> votes = new LinkedHashMap<>();
        for (int id = 0; id < peers.size(); id++) {
            InetSocketAddress a = peers.get(id);
            if (id != raidaId && a != null) {
                votes.put(id, client.vote(a, roots, voteDeadline));
            }
        }
        metrics.votesSent.addAndGet(votes.size());
        int matches = 0;
        List<Integer> noMatch = new ArrayList<>();
        long deadline = System.nanoTime() + voteDeadline.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (Map.Entry<Integer, CompletableFuture<IntegrityClient.Vote>> e : votes.entrySet()) {
            IntegrityClient.Vote v = await(e.getValue(), deadline);
            if (v == IntegrityClient.Vote.MATCH) {
                matches++;
            } else if (v == IntegrityClient.Vote.NO_MATCH) {
                noMatch.add(e.getKey());
            }
            if (v != null && v != IntegrityClient.Vote.NO_VOTE) {
                metrics.voteRepliesReceived.incrementAndGet();
            }
        }
        metrics.votesMatched.addAndGet(matches);
        if (matches + 1 >= MAJORITY) {
            LOG.debug("sync: {} of {} servers hold our roots", matches + 1, SERVERS);
            return new SyncReport(SyncReport.Outcome.IN_MAJORITY, votes.size(), matches, noMatch, 0, matches + 1,
                    List.of(), 0);
        }

        // stage 2: ballots, kept with their sender
        checkStop();
        Map<Integer, CompletableFuture<byte[]>> asks = new LinkedHashMap<>();
        for (int id : noMatch) {
            asks.put(id, client.allRoots(peers.get(id), id, roots));
        }
        Map<ByteBuffer, List<Integer>> supporters = new LinkedHashMap<>();
        supporters.put(ByteBuffer.wrap(roots), new ArrayList<>(List.of(raidaId)));
        int ballots = 0;
        deadline = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (Map.Entry<Integer, CompletableFuture<byte[]>> e : asks.entrySet()) {
            byte[] b = await(e.getValue(), deadline);
            if (b != null) {
                ballots++;
                supporters.computeIfAbsent(ByteBuffer.wrap(b), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        // the peers that matched in stage 1 hold our value
        supporters.get(ByteBuffer.wrap(roots)).addAll(matchedPeers(votes));
        Map.Entry<ByteBuffer, List<Integer>> best = null;
        for (Map.Entry<ByteBuffer, List<Integer>> e : supporters.entrySet()) {
            if (best == null || e.getValue().size() > best.getValue().size()) {
                best = e;
            }
        }
        int support = best.getValue().size();
        if (support < MAJORITY) {
            LOG.info("sync: no roots vector is held by {} servers (best {}, {} ballots); nothing healed", MAJORITY,
                    support, ballots);
            return new SyncReport(SyncReport.Outcome.NO_MAJORITY, votes.size(), matches, noMatch, ballots, 0,
                    List.of(), 0);
        }
        byte[] majority = new byte[MerkleForest.ROOTS_SIZE];
        best.getKey().duplicate().get(majority);
        if (Arrays.equals(majority, roots)) {
            return new SyncReport(SyncReport.Outcome.IN_MAJORITY, votes.size(), matches, noMatch, ballots, support,
                    List.of(), 0);
        }
        List<Integer> trusted = new ArrayList<>(best.getValue());
        trusted.remove(Integer.valueOf(raidaId));

        int failures = 0;
        for (int i = 0; i < Denominations.COUNT; i++) {
            if (snap.rootEquals(i, majority, i * MerkleTree.HASH_SIZE)) {
                continue;
            }
            checkStop();
            int den = Denominations.fromIndex(i);
            byte[] majRoot = Arrays.copyOfRange(majority, i * MerkleTree.HASH_SIZE, (i + 1) * MerkleTree.HASH_SIZE);
            failures += heal.healDenomination(den, snap.tree(den), majRoot, trusted, healed);
        }
        if (!healed.isEmpty()) {
            checkStop(); // the healed pages are marked dirty: the next rebuild takes them
            forest.rebuild();
        }
        LOG.info("sync: majority held by {} servers differs from ours; healed {} page(s), {} failure(s)", support,
                healed.size(), failures);
        return new SyncReport(SyncReport.Outcome.HEALED, votes.size(), matches, noMatch, ballots, support, healed,
                failures);
    }

    private static List<Integer> matchedPeers(Map<Integer, CompletableFuture<IntegrityClient.Vote>> votes) {
        List<Integer> ids = new ArrayList<>();
        for (Map.Entry<Integer, CompletableFuture<IntegrityClient.Vote>> e : votes.entrySet()) {
            if (e.getValue().getNow(null) == IntegrityClient.Vote.MATCH) {
                ids.add(e.getKey());
            }
        }
        return ids;
    }

    /** The value, or null if the future failed or missed the deadline. */
    private <T> T await(CompletableFuture<T> f, long deadlineNanos) throws Stopped {
        try {
            return get(f, deadlineNanos);
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            return null;
        }
    }
}
