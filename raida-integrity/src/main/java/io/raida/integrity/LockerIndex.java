package io.raida.integrity;

import io.raida.protocol.Denominations;
import io.raida.protocol.cluster.LockerKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which coins are in which locker on this RAIDA (lockers.md §3, D-53..D-55): coin c is in locker LK
 * exactly when c's stored AN equals LK, LK ends {@code FF FF FF FF} and c's MFS is not 0. The index
 * is a cache of that relation, built by scanning the page store ({@link #rebuild()}, at start-up) and
 * kept coherent by listening to the store: every page written by anyone (group 1, lockers, fix,
 * integrity healing) is marked stale and re-scanned before the next lookup. Lookups copy their result
 * under the lock; there is no capacity limit.
 */
final class LockerIndex implements PageStore.PageListener {
    private static final Logger LOG = LoggerFactory.getLogger(LockerIndex.class);

    private final PageStore store;
    private final Object lock = new Object();
    /** Serialises page scans, so an older read of a page can never be applied after a newer one. */
    private final Object scanLock = new Object();
    /** Locker key → coins (ascending den, then SN, as {@link CoinPages.Coin#order()}). */
    private final Map<ByteBuffer, TreeSet<Long>> lockers = new HashMap<>();
    /** Page slot → record → the locker key of that record, for the pages holding locker coins. */
    private final Map<Integer, Map<Integer, ByteBuffer>> bySlot = new HashMap<>();
    private final Set<Integer> stale = ConcurrentHashMap.newKeySet();

    LockerIndex(PageStore store) {
        this.store = store;
    }

    @Override
    public void pageWritten(int denomination, int page) {
        stale.add(PageStore.slot(denomination, page));
    }

    /** Scans every page of the store (start-up); pages written meanwhile are re-scanned on the next lookup. */
    void rebuild() throws IOException {
        long start = System.nanoTime();
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        int coins = 0;
        synchronized (scanLock) {
            for (int i = 0; i < Denominations.COUNT; i++) {
                int den = Denominations.fromIndex(i);
                for (int page = 0; page < Denominations.PAGES; page++) {
                    coins += scan(den, page, buf);
                }
            }
        }
        int count;
        synchronized (lock) {
            count = lockers.size();
        }
        LOG.info("locker index built from the page store: {} lockers, {} coins ({} ms)", count, coins,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Re-scans the pages written since the last lookup. */
    void refresh() throws IOException {
        if (stale.isEmpty()) {
            return;
        }
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        synchronized (scanLock) {
            for (Integer slot : stale.toArray(new Integer[0])) {
                // removed before the read: a write after this point marks the page again
                if (!stale.remove(slot)) {
                    continue;
                }
                try {
                    scan(Denominations.fromIndex(slot / Denominations.PAGES), slot % Denominations.PAGES, buf);
                } catch (IOException | RuntimeException e) {
                    stale.add(slot);
                    throw e;
                }
            }
        }
    }

    /** {@link #refresh()}, logging a failure instead of throwing it (the index then lags until the next refresh). */
    void refreshQuietly() {
        try {
            refresh();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot re-read written pages for the locker index: {}", e.toString());
        }
    }

    /** The coins of locker {@code key[off..off+16)} as {@link CoinPages.Coin#order()} values, ascending; empty if unknown. */
    long[] coins(byte[] key, int off) throws IOException {
        refresh();
        ByteBuffer k = ByteBuffer.wrap(key, off, LockerKey.SIZE).slice();
        synchronized (lock) {
            TreeSet<Long> s = lockers.get(k);
            return s == null ? new long[0] : s.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /**
     * The locker key whose first five bytes are {@code prefix[off..off+5)} (type-2 encryption, D-34),
     * or null if none or several match. Called on I/O threads: pages are read only if some were written
     * since the last refresh (the locker commands refresh after their own writes).
     */
    byte[] keyByPrefix(byte[] prefix, int off) {
        refreshQuietly();
        byte[] found = null;
        synchronized (lock) {
            for (ByteBuffer k : lockers.keySet()) {
                boolean match = true;
                for (int i = 0; i < 5 && match; i++) {
                    match = k.get(i) == prefix[off + i];
                }
                if (match) {
                    if (found != null) {
                        return null;
                    }
                    found = new byte[LockerKey.SIZE];
                    k.duplicate().get(found);
                }
            }
        }
        return found;
    }

    /** Number of known lockers. */
    int size() {
        synchronized (lock) {
            return lockers.size();
        }
    }

    /** Reads one page and replaces its entries; returns the number of locker coins on it. */
    private int scan(int den, int page, byte[] buf) throws IOException {
        boolean present;
        try {
            present = store.readPage(den, page, buf);
        } catch (TruncatedPageException e) {
            present = false;
        }
        int slot = PageStore.slot(den, page);
        List<Integer> records = new ArrayList<>();
        if (present) {
            for (int r = 0; r < Denominations.RECORDS_PER_PAGE; r++) {
                int at = r * PageStore.RECORD_SIZE;
                if (buf[at + PageStore.AN_SIZE] != 0 && LockerKey.hasLockerTail(buf, at)) {
                    records.add(r);
                }
            }
        }
        synchronized (lock) {
            Map<Integer, ByteBuffer> old = bySlot.remove(slot);
            if (old != null) {
                for (Map.Entry<Integer, ByteBuffer> e : old.entrySet()) {
                    TreeSet<Long> s = lockers.get(e.getValue());
                    if (s != null) {
                        s.remove(order(den, page, e.getKey()));
                        if (s.isEmpty()) {
                            lockers.remove(e.getValue());
                        }
                    }
                }
            }
            if (!records.isEmpty()) {
                Map<Integer, ByteBuffer> mine = new HashMap<>();
                for (int r : records) {
                    int at = r * PageStore.RECORD_SIZE;
                    ByteBuffer key = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf, at, at + LockerKey.SIZE));
                    mine.put(r, key);
                    lockers.computeIfAbsent(key, x -> new TreeSet<>()).add(order(den, page, r));
                }
                bySlot.put(slot, mine);
            }
        }
        return records.size();
    }

    private static long order(int den, int page, int record) {
        return (long) Denominations.index(den) << 32 | ((long) page * Denominations.RECORDS_PER_PAGE + record);
    }
}
