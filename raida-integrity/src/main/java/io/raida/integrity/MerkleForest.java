package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 15 Merkle trees of a {@link PageStore}, one per denomination, with dirty tracking.
 *
 * <p>Trees are immutable; {@link #rebuild()} builds new ones next to the old and publishes them with
 * one volatile write of a {@link Snapshot}, so readers (the UDP vote, commands 14/2 and 14/5, the
 * healing walk) never wait for a rebuild and always see a consistent set. The forest listens to the
 * store: a written page marks its leaf dirty, and a rebuild re-hashes only dirty leaves of only the
 * denominations that have any (then recomputes that tree's ~1 000 inner nodes). A full build of all
 * 15 trees needs the hashes plus one page buffer per build thread.
 */
public final class MerkleForest implements PageStore.PageListener {
    private static final Logger LOG = LoggerFactory.getLogger(MerkleForest.class);
    private static final int WORDS = (Denominations.PAGES + 63) / 64;
    /** Bytes of the roots vector: 15 × 32. */
    public static final int ROOTS_SIZE = Denominations.COUNT * MerkleTree.HASH_SIZE;

    private final PageStore store;
    private final IntegrityMetrics metrics;
    private final int buildThreads;
    private final AtomicLongArray dirty = new AtomicLongArray(Denominations.COUNT * WORDS);
    private final AtomicIntegerArray needsFull = new AtomicIntegerArray(Denominations.COUNT);
    private final Object buildLock = new Object();
    private volatile Snapshot snapshot;

    /**
     * @param buildThreads threads used by a rebuild (the caller's plus {@code buildThreads − 1} short-lived ones)
     * @param store the pages the trees are built from
     * @param metrics where build times and counts are recorded
     */
    public MerkleForest(PageStore store, IntegrityMetrics metrics, int buildThreads) {
        this.store = Objects.requireNonNull(store, "store");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (buildThreads <= 0) {
            throw new IllegalArgumentException("buildThreads must be positive, got " + buildThreads);
        }
        this.buildThreads = buildThreads;
        for (int i = 0; i < Denominations.COUNT; i++) {
            needsFull.set(i, 1);
        }
        store.addListener(this);
    }

    /** An immutable view of the published trees and their roots vector. */
    public static final class Snapshot {
        private final MerkleTree[] trees;
        private final byte[] roots;

        Snapshot(MerkleTree[] trees) {
            this.trees = trees;
            this.roots = new byte[ROOTS_SIZE];
            for (int i = 0; i < trees.length; i++) {
                if (trees[i] != null) {
                    trees[i].copyRoot(roots, i * MerkleTree.HASH_SIZE);
                }
            }
        }

        /**
         * The denomination's tree, or {@code null} if its build failed.
         *
         * @param denomination the denomination code, -8..6
         * @return the tree, or {@code null}
         */
        public MerkleTree tree(int denomination) {
            return trees[Denominations.index(denomination)];
        }

        /**
         * True if every denomination has a tree.
         *
         * @return {@code true} if all 15 trees were built
         */
        public boolean complete() {
            for (MerkleTree t : trees) {
                if (t == null) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The 480-byte roots vector (a copy); a denomination without a tree contributes zeros.
         *
         * @return a new 480-byte array
         */
        public byte[] roots() {
            return roots.clone();
        }

        /**
         * Whether {@code b[off..off+480)} equals the roots vector.
         *
         * @param b the bytes to compare
         * @param off where the 480 bytes start in {@code b}
         * @return {@code true} if they are equal
         */
        public boolean rootsEqual(byte[] b, int off) {
            return Arrays.equals(roots, 0, ROOTS_SIZE, b, off, off + ROOTS_SIZE);
        }

        /** Whether the root of denomination index {@code i} equals {@code b[off..off+32)}. */
        boolean rootEquals(int index, byte[] b, int off) {
            int o = index * MerkleTree.HASH_SIZE;
            return Arrays.equals(roots, o, o + MerkleTree.HASH_SIZE, b, off, off + MerkleTree.HASH_SIZE);
        }
    }

    @Override
    public void pageWritten(int denomination, int page) {
        int w = Denominations.index(denomination) * WORDS + page / 64;
        long bit = 1L << (page % 64);
        dirty.getAndAccumulate(w, bit, (a, b) -> a | b);
    }

    /** Forces a full rebuild of every tree at the next {@link #rebuild()} (e.g. after outside changes to the store). */
    public void markAllDirty() {
        for (int i = 0; i < Denominations.COUNT; i++) {
            needsFull.set(i, 1);
        }
    }

    /**
     * The published trees, or {@code null} before the first {@link #rebuild()} finished.
     *
     * @return the current snapshot, or {@code null}
     */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * The roots vector: zeros before the first build (and for denominations without a tree).
     *
     * @return a new 480-byte array, 32 bytes per denomination -8..6
     */
    public byte[] rootsVector() {
        Snapshot s = snapshot;
        return s == null ? new byte[ROOTS_SIZE] : s.roots();
    }

    /**
     * Rebuilds the trees that need it (never built, or pages written since) and publishes the result.
     * Rebuilds are serialised with each other; readers are never blocked. If the calling thread is
     * interrupted (the node is closing) the rebuild stops early without logging errors: denominations
     * not finished keep their previous tree and are rebuilt next time, and the interrupt stays set.
     *
     * @return the denominations rebuilt
     */
    public List<Integer> rebuild() {
        synchronized (buildLock) {
            Snapshot old = snapshot;
            MerkleTree[] next = old == null ? new MerkleTree[Denominations.COUNT] : old.trees.clone();
            List<Integer> work = new ArrayList<>();
            for (int i = 0; i < Denominations.COUNT; i++) {
                if (next[i] == null || needsFull.get(i) != 0 || hasDirty(i)) {
                    work.add(i);
                }
            }
            if (work.isEmpty() && old != null) {
                return List.of();
            }
            AtomicInteger cursor = new AtomicInteger();
            Thread caller = Thread.currentThread();
            AtomicBoolean abort = new AtomicBoolean();
            // the helper threads are never interrupted themselves: they watch the caller
            BooleanSupplier stop = () -> abort.get() || caller.isInterrupted();
            Runnable worker = () -> {
                byte[] buf = new byte[PageStore.PAGE_SIZE];
                MessageDigest sha = MerkleTree.sha256();
                for (int k; (k = cursor.getAndIncrement()) < work.size(); ) {
                    int i = work.get(k);
                    if (stop.getAsBoolean()) {
                        continue; // dirty bits untouched: the next rebuild does it
                    }
                    MerkleTree t = buildOne(i, next[i], buf, sha, stop);
                    if (t != null) {
                        next[i] = t;
                    }
                }
            };
            int extra = Math.min(buildThreads, work.size()) - 1;
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < extra; t++) {
                Thread th = new Thread(worker, "raida-merkle-build-" + t);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            worker.run();
            for (Thread th : threads) {
                boolean interrupted = false;
                while (true) {
                    try {
                        th.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        abort.set(true);
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (old == null && stop.getAsBoolean() && Arrays.asList(next).contains(null)) {
                return List.of(); // a first build cut short publishes nothing (votes stay dropped, D-17)
            }
            snapshot = new Snapshot(next);
            List<Integer> dens = new ArrayList<>();
            for (int i : work) {
                dens.add(Denominations.fromIndex(i));
            }
            return dens;
        }
    }

    private boolean hasDirty(int i) {
        for (int w = 0; w < WORDS; w++) {
            if (dirty.get(i * WORDS + w) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Builds denomination index {@code i}; returns null (keeping the old tree) if the store failed. */
    private MerkleTree buildOne(int i, MerkleTree old, byte[] buf, MessageDigest sha, BooleanSupplier stop) {
        int den = Denominations.fromIndex(i);
        long start = System.nanoTime();
        boolean full = needsFull.getAndSet(i, 0) != 0 || old == null;
        // take the dirty bits before reading pages: a write racing with us sets them again
        long[] bits = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            bits[w] = dirty.getAndSet(i * WORDS + w, 0);
        }
        byte[] leaves = full ? new byte[MerkleTree.LEAVES * MerkleTree.HASH_SIZE] : old.leavesCopy();
        int hashed = 0;
        try {
            for (int p = 0; p < MerkleTree.LEAVES; p++) {
                if (p % 64 == 0 && stop.getAsBoolean()) {
                    putBack(i, full, bits);
                    LOG.debug("build of denomination {} stopped: interrupted", den);
                    return null;
                }
                if (full || (bits[p / 64] & (1L << (p % 64))) != 0) {
                    leaf(den, p, buf, sha, leaves);
                    hashed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClosedByInterruptException || stop.getAsBoolean()) {
                // an interrupted file read, not a storage failure
                putBack(i, full, bits);
                LOG.debug("build of denomination {} stopped: {}", den, e.toString());
                return null;
            }
            needsFull.set(i, 1);
            metrics.treeBuildFailures.incrementAndGet();
            LOG.error("cannot build the Merkle tree of denomination {}: {}; keeping the previous one", den,
                    e.toString());
            return null;
        }
        MerkleTree t = MerkleTree.fromLeaves(den, leaves, sha);
        long nanos = System.nanoTime() - start;
        metrics.recordBuild(den, System.currentTimeMillis(), nanos);
        LOG.debug("built tree of denomination {} ({} leaves hashed, {} us)", den, hashed, nanos / 1000);
        return t;
    }

    /** Gives back the work an unfinished build took, so the next rebuild does it. */
    private void putBack(int i, boolean full, long[] bits) {
        if (full) {
            needsFull.set(i, 1);
        }
        for (int w = 0; w < WORDS; w++) {
            long b = bits[w];
            if (b != 0) {
                dirty.getAndAccumulate(i * WORDS + w, b, (a, c) -> a | c);
            }
        }
    }

    private void leaf(int den, int page, byte[] buf, MessageDigest sha, byte[] leaves) throws IOException {
        int off = page * MerkleTree.HASH_SIZE;
        boolean present;
        try {
            present = store.readPage(den, page, buf);
        } catch (TruncatedPageException e) {
            present = false;
        }
        if (present) {
            MerkleTree.leafInPlace(buf, sha, leaves, off);
        } else {
            Arrays.fill(leaves, off, off + MerkleTree.HASH_SIZE, (byte) 0);
        }
    }
}
