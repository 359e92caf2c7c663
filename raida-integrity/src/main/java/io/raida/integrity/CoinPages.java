package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic read-check-write of coin records for the coin commands (groups 1 and 8). A transaction
 * names the coins it touches; their pages are locked (striped locks taken in ascending order, so two
 * transactions never deadlock), read once, handed to the transaction as {@link Pages}, and the pages
 * it changed are written back through {@link PageStore#replacePageIf}: the store's crash-safe page
 * path, whose listeners mark the Merkle trees dirty and refresh the locker index.
 *
 * <p>The locks serialise the coin commands with each other. A writer outside them (integrity page
 * healing) is caught by the compare-and-write: if it changed a page between our read and our write,
 * the pages already written by this transaction are put back and the whole transaction runs again
 * on fresh pages, so its check and its changes stay one atomic step.
 */
final class CoinPages {
    private static final Logger LOG = LoggerFactory.getLogger(CoinPages.class);
    private static final int STRIPES = 128;
    private static final int ATTEMPTS = 5;

    private final PageStore store;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    CoinPages(PageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    PageStore store() {
        return store;
    }

    /** A coin coordinate as sent: den byte (signed) and SN (u32). */
    record Coin(int den, long sn) {
        /** Whether den is -8..6 and SN below 1 024 000, i.e. the coin can have a record. */
        boolean valid() {
            return Denominations.isValid(den) && Denominations.isValidSerial(sn);
        }

        int page() {
            return (int) (sn / Denominations.RECORDS_PER_PAGE);
        }

        int record() {
            return (int) (sn % Denominations.RECORDS_PER_PAGE);
        }

        int slot() {
            return PageStore.slot(den, page());
        }

        /** Sort key: ascending denomination, then SN. */
        long order() {
            return (long) Denominations.index(den) << 32 | sn;
        }

        static Coin fromOrder(long order) {
            return new Coin(Denominations.fromIndex((int) (order >>> 32)), order & 0xFFFF_FFFFL);
        }
    }

    /** The body of a transaction. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(Pages pages) throws IOException;
    }

    /** "Months from start" of now (auth.md §1), at least 1: MFS 0 would mark the coin unissued. */
    int mfsNow() {
        ZonedDateTime t = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        int m = (t.getYear() - 2023) * 12 + (t.getMonthValue() - 2);
        return Math.max(1, Math.min(255, m));
    }

    /** Reads the pages of {@code coins} without locking and runs {@code tx} on them (read only). */
    <T> T read(Iterable<Coin> coins, Transaction<T> tx) throws IOException {
        Pages p = load(coins);
        p.readOnly = true;
        return tx.run(p);
    }

    /** Runs {@code tx} atomically over the pages of {@code coins} and writes the pages it changed. */
    <T> T update(Iterable<Coin> coins, Transaction<T> tx) throws IOException {
        TreeSet<Integer> stripes = new TreeSet<>();
        for (Coin c : coins) {
            if (c.valid()) {
                stripes.add(c.slot() % STRIPES);
            }
        }
        for (int s : stripes) {
            locks[s].lock();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                Pages p = load(coins);
                T result = tx.run(p);
                if (p.write()) {
                    return result;
                }
                if (attempt == ATTEMPTS) {
                    throw new IOException("pages kept changing under the coin command (" + ATTEMPTS + " attempts)");
                }
                LOG.debug("a page changed while a coin command ran; running it again (attempt {})", attempt + 1);
            }
        } finally {
            for (int s : stripes.descendingSet()) {
                locks[s].unlock();
            }
        }
    }

    private Pages load(Iterable<Coin> coins) throws IOException {
        Pages p = new Pages();
        for (Coin c : coins) {
            if (!c.valid() || p.pages.containsKey(c.slot())) {
                continue;
            }
            byte[] buf = new byte[PageStore.PAGE_SIZE];
            boolean present;
            try {
                present = store.readPage(c.den(), c.page(), buf);
            } catch (TruncatedPageException e) {
                present = false; // a short page has no records, as for the Merkle leaf
            }
            p.pages.put(c.slot(), new Page(c.den(), c.page(), present ? buf : null));
        }
        return p;
    }

    private static final class Page {
        final int den;
        final int page;
        final byte[] data;
        final byte[] original;
        boolean changed;

        Page(int den, int page, byte[] data) {
            this.den = den;
            this.page = page;
            this.data = data;
            this.original = data == null ? null : data.clone();
        }
    }

    /** The loaded pages of one transaction. */
    final class Pages {
        private final Map<Integer, Page> pages = new TreeMap<>();
        private boolean readOnly;

        private Page page(Coin c) {
            return c.valid() ? pages.get(c.slot()) : null;
        }

        /** Whether the coin has a record: valid den/SN on a present page (issued or not). */
        boolean exists(Coin c) {
            Page p = page(c);
            return p != null && p.data != null;
        }

        /** Whether the coin has a record with MFS ≠ 0 (D-57: only those pass an ownership test). */
        boolean issued(Coin c) {
            Page p = page(c);
            return p != null && p.data != null && p.data[c.record() * PageStore.RECORD_SIZE + PageStore.AN_SIZE] != 0;
        }

        /** Constant-time: the coin is issued and its stored AN equals {@code b[off..off+16)}. */
        boolean anEquals(Coin c, byte[] b, int off) {
            if (!issued(c)) {
                return false;
            }
            byte[] d = page(c).data;
            int at = c.record() * PageStore.RECORD_SIZE;
            return MessageDigest.isEqual(java.util.Arrays.copyOfRange(d, at, at + PageStore.AN_SIZE),
                    java.util.Arrays.copyOfRange(b, off, off + PageStore.AN_SIZE));
        }

        /** XORs the coin's stored AN into {@code acc[0..16)}; the coin must exist. */
        void xorAn(Coin c, byte[] acc) {
            byte[] d = page(c).data;
            int at = c.record() * PageStore.RECORD_SIZE;
            for (int i = 0; i < PageStore.AN_SIZE; i++) {
                acc[i] ^= d[at + i];
            }
        }

        /** Sets the coin's AN to {@code an[off..off+16)} and its MFS to now. */
        void setAn(Coin c, byte[] an, int off) {
            Page p = writable(c);
            int at = c.record() * PageStore.RECORD_SIZE;
            System.arraycopy(an, off, p.data, at, PageStore.AN_SIZE);
            p.data[at + PageStore.AN_SIZE] = (byte) mfsNow();
            p.changed = true;
        }

        /** {@code AN ^= delta[off..off+16)} and MFS := now. */
        void xorIntoAn(Coin c, byte[] delta, int off) {
            Page p = writable(c);
            int at = c.record() * PageStore.RECORD_SIZE;
            for (int i = 0; i < PageStore.AN_SIZE; i++) {
                p.data[at + i] ^= delta[off + i];
            }
            p.data[at + PageStore.AN_SIZE] = (byte) mfsNow();
            p.changed = true;
        }

        private Page writable(Coin c) {
            if (readOnly) {
                throw new IllegalStateException("a read-only view cannot change records");
            }
            Page p = page(c);
            if (p == null || p.data == null) {
                throw new IllegalStateException("coin " + c.den() + ":" + c.sn() + " has no record");
            }
            return p;
        }

        /**
         * Writes the changed pages; false (with the pages written so far put back) if one of them was
         * changed by another writer since it was read.
         */
        boolean write() throws IOException {
            java.util.List<Page> written = new java.util.ArrayList<>();
            for (Page p : pages.values()) {
                if (!p.changed) {
                    continue;
                }
                boolean ok;
                try {
                    ok = store.replacePageIf(p.den, p.page, MerkleTree.leafHash(p.original), p.data);
                } catch (IOException | RuntimeException e) {
                    undo(written);
                    throw e;
                }
                if (!ok) {
                    undo(written);
                    return false;
                }
                written.add(p);
            }
            return true;
        }

        private void undo(java.util.List<Page> written) {
            for (Page p : written) {
                try {
                    if (!store.replacePageIf(p.den, p.page, MerkleTree.leafHash(p.data), p.original)) {
                        LOG.warn("page {}/{} changed again before a coin command could put it back", p.den, p.page);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("cannot put page {}/{} back after a failed coin command: {}", p.den, p.page,
                            e.toString());
                }
            }
        }
    }
}
