package io.raida.integrity;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The healing walk of integrity.md §9 for one denomination: from the majority's root down the tree of
 * a peer that holds the majority ballot, verifying every pair of children against their parent, to
 * the differing leaves; each differing page is fetched, checked against its leaf hash and written
 * only if the local page is still the one compared (a local write since the snapshot wins).
 */
final class HealWalk extends SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(HealWalk.class);
    private static final int MAX_IN_FLIGHT = 16;

    private final List<InetSocketAddress> peers;
    private final IntegrityClient client;
    private final PageStore store;
    private final IntegrityMetrics metrics;
    private final Duration requestTimeout;

    HealWalk(List<InetSocketAddress> peers, IntegrityClient client, PageStore store, IntegrityMetrics metrics,
             Duration requestTimeout, BooleanSupplier closed) {
        super(closed);
        this.peers = peers;
        this.client = client;
        this.store = store;
        this.metrics = metrics;
        this.requestTimeout = requestTimeout;
    }

    /** Walks one denomination against the trusted peers in turn; returns the number of failures. */
    int healDenomination(int den, MerkleTree own, byte[] majRoot, List<Integer> trusted, List<String> healed)
            throws Stopped {
        int failures = 0;
        for (int peer : trusted) {
            checkStop();
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

    private int walk(int den, MerkleTree own, byte[] majRoot, int peer, List<String> healed)
            throws WalkAborted, Stopped {
        InetSocketAddress addr = peers.get(peer);
        List<Node> frontier = List.of(new Node(0, majRoot));
        for (int level = MerkleTree.ROOT_LEVEL; level > 0 && !frontier.isEmpty(); level--) {
            int below = level - 1;
            int width = MerkleTree.width(below);
            List<Node> next = new ArrayList<>();
            for (int from = 0; from < frontier.size(); from += MAX_IN_FLIGHT) {
                checkStop();
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
            checkStop();
            byte[] data = fetch(client.pageData(addr, peer, den, page), "page");
            if (!Arrays.equals(MerkleTree.leafHash(data), leaf.hash())) {
                throw new WalkAborted("page " + den + "/" + page + " does not hash to the majority's leaf");
            }
            checkStop();
            boolean written;
            try {
                // only if the page is still the one the walk compared: a local write since the snapshot wins
                written = store.replacePageIf(den, page, own.node(0, page), data);
            } catch (java.io.IOException | RuntimeException e) {
                if (stopping()) {
                    // an interrupted write leaves the old page (temporary file, then rename)
                    throw new Stopped();
                }
                LOG.error("cannot write healed page {}/{}: {}", den, page, e.toString());
                metrics.healFailures.incrementAndGet();
                failures++;
                continue;
            }
            if (!written) {
                metrics.healsSkipped.incrementAndGet();
                LOG.warn("page {}/{} changed here since the tree snapshot; the heal did not overwrite it", den, page);
                continue;
            }
            metrics.pagesHealed.incrementAndGet();
            healed.add(den + "/" + page);
            LOG.info("healed page {}/{} from RAIDA {}", den, page, peer);
        }
        return failures;
    }

    private byte[] fetch(CompletableFuture<byte[]> f, String what) throws WalkAborted, Stopped {
        try {
            return get(f, System.nanoTime() + requestTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500));
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            throw new WalkAborted(what + " request failed: " + (e.getCause() == null ? e : e.getCause()));
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
