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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *       tried.</li>
 * </ul>
 */
final class SyncEngine {
    static final int SERVERS = 25;
    static final int MAJORITY = SERVERS / 2 + 1;
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final int MAX_IN_FLIGHT = 16;

    private final int raidaId;
    private final List<InetSocketAddress> peers;
    private final IntegrityClient client;
    private final MerkleForest forest;
    private final PageStore store;
    private final IntegrityMetrics metrics;
    private final Duration voteDeadline;
    private final Duration requestTimeout;

    SyncEngine(int raidaId, List<InetSocketAddress> peers, IntegrityClient client, MerkleForest forest,
               PageStore store, IntegrityMetrics metrics, Duration voteDeadline, Duration requestTimeout) {
        this.raidaId = raidaId;
        this.peers = peers;
        this.client = client;
        this.forest = forest;
        this.store = store;
        this.metrics = metrics;
        this.voteDeadline = voteDeadline;
        this.requestTimeout = requestTimeout;
    }

    SyncReport runCycle() {
        metrics.syncCycles.incrementAndGet();
        forest.rebuild();
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

        List<String> healed = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < Denominations.COUNT; i++) {
            if (snap.rootEquals(i, majority, i * MerkleTree.HASH_SIZE)) {
                continue;
            }
            int den = Denominations.fromIndex(i);
            byte[] majRoot = Arrays.copyOfRange(majority, i * MerkleTree.HASH_SIZE, (i + 1) * MerkleTree.HASH_SIZE);
            failures += healDenomination(den, snap.tree(den), majRoot, trusted, healed);
        }
        if (!healed.isEmpty()) {
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

    /** Walks one denomination against the trusted peers in turn; returns the number of failures. */
    private int healDenomination(int den, MerkleTree own, byte[] majRoot, List<Integer> trusted, List<String> healed) {
        int failures = 0;
        for (int peer : trusted) {
            try {
                failures += walk(den, own, majRoot, peer, healed);
                return failures;
            } catch (WalkAborted e) {
                metrics.healFailures.incrementAndGet();
                failures++;
                LOG.warn("healing walk of denomination {} against RAIDA {} aborted: {}", den, peer, e.getMessage());
            }
        }
        return failures;
    }

    /** A verified mismatching node: (index, hash at its level). */
    private record Node(int index, byte[] hash) {
    }

    private int walk(int den, MerkleTree own, byte[] majRoot, int peer, List<String> healed) throws WalkAborted {
        InetSocketAddress addr = peers.get(peer);
        List<Node> frontier = List.of(new Node(0, majRoot));
        for (int level = MerkleTree.ROOT_LEVEL; level > 0 && !frontier.isEmpty(); level--) {
            int below = level - 1;
            int width = MerkleTree.width(below);
            List<Node> next = new ArrayList<>();
            for (int from = 0; from < frontier.size(); from += MAX_IN_FLIGHT) {
                List<Node> chunk = frontier.subList(from, Math.min(frontier.size(), from + MAX_IN_FLIGHT));
                List<CompletableFuture<byte[]>> left = new ArrayList<>();
                List<CompletableFuture<byte[]>> right = new ArrayList<>();
                for (Node n : chunk) {
                    int l = 2 * n.index();
                    left.add(client.merkleNode(addr, peer, den, below, l));
                    right.add(l + 1 < width ? client.merkleNode(addr, peer, den, below, l + 1) : null);
                }
                for (int k = 0; k < chunk.size(); k++) {
                    Node n = chunk.get(k);
                    byte[] lh = fetch(left.get(k), "node");
                    byte[] rh = right.get(k) == null ? lh : fetch(right.get(k), "node");
                    if (!Arrays.equals(MerkleTree.parent(lh, rh), n.hash())) {
                        throw new WalkAborted("children of (" + (below + 1) + ", " + n.index()
                                + ") do not hash to the majority's node (peer changed or lied)");
                    }
                    int l = 2 * n.index();
                    if (!own.nodeEquals(below, l, lh, 0)) {
                        next.add(new Node(l, lh));
                    }
                    if (right.get(k) != null && !own.nodeEquals(below, l + 1, rh, 0)) {
                        next.add(new Node(l + 1, rh));
                    }
                }
            }
            frontier = next;
        }
        int failures = 0;
        byte[] zero = new byte[MerkleTree.HASH_SIZE];
        for (Node leaf : frontier) {
            int page = leaf.index();
            if (Arrays.equals(leaf.hash(), zero)) {
                // the majority has no such page; we do. Deleting coin data is not done automatically.
                LOG.warn("page {}/{} exists here but is absent on the majority; left in place", den, page);
                metrics.healFailures.incrementAndGet();
                failures++;
                continue;
            }
            byte[] data = fetch(client.pageData(addr, peer, den, page), "page");
            if (!Arrays.equals(MerkleTree.leafHash(data), leaf.hash())) {
                throw new WalkAborted("page " + den + "/" + page + " does not hash to the majority's leaf");
            }
            try {
                store.writePage(den, page, data);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("cannot write healed page {}/{}: {}", den, page, e.toString());
                metrics.healFailures.incrementAndGet();
                failures++;
                continue;
            }
            metrics.pagesHealed.incrementAndGet();
            healed.add(den + "/" + page);
            LOG.info("healed page {}/{} from RAIDA {}", den, page, peer);
        }
        return failures;
    }

    private byte[] fetch(CompletableFuture<byte[]> f, String what) throws WalkAborted {
        try {
            return f.get(requestTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalkAborted("interrupted");
        } catch (ExecutionException | TimeoutException | CompletionException e) {
            throw new WalkAborted(what + " request failed: " + (e.getCause() == null ? e : e.getCause()));
        }
    }

    private static <T> T await(CompletableFuture<T> f, long deadlineNanos) {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** The walk against one peer cannot go on. */
    private static final class WalkAborted extends Exception {
        private static final long serialVersionUID = 1L;

        WalkAborted(String message) {
            super(message);
        }
    }
}
