package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The page-store access of the healing commands: ownership tests on one record and the re-keying of
 * fixed coins. A record with MFS 0 is unissued and never matches (D-57). Writes go through
 * {@link PageStore#replacePageIf}, i.e. the store's crash-safe page path with its listeners (the Merkle
 * trees mark the page dirty), as a compare-and-write retried until no other write came in between.
 */
final class HealingStore {
    /** Compare-and-write attempts per page before giving up (each failure means another write won). */
    private static final int MAX_ATTEMPTS = 64;

    private final PageStore store;
    private final Clock clock;

    HealingStore(PageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Coin key: {@code den} byte in bits 32..39, SN in bits 0..31. */
    static long key(int den, long sn) {
        return (long) (den & 0xFF) << 32 | sn;
    }

    static int den(long key) {
        return (byte) (key >>> 32);
    }

    static long sn(long key) {
        return key & 0xFFFF_FFFFL;
    }

    /** Whether a den/SN names a record (40 otherwise). */
    static boolean exists(int den, long sn) {
        return Denominations.isValid(den) && Denominations.isValidSerial(sn);
    }

    /**
     * The 17-byte record of a coin; an absent page reads as an unissued record (all zero).
     *
     * @throws IOException on a storage failure
     */
    byte[] record(int den, long sn) throws IOException {
        byte[] rec = new byte[PageStore.RECORD_SIZE];
        int page = (int) (sn / Denominations.RECORDS_PER_PAGE);
        int r = (int) (sn % Denominations.RECORDS_PER_PAGE);
        if (!store.readRecord(den, page, r, rec, 0)) {
            Arrays.fill(rec, (byte) 0);
        }
        return rec;
    }

    /** True if the record is issued and its AN equals {@code an[off..off+16)} (constant time). */
    static boolean owns(byte[] record, byte[] an, int off) {
        return record[PageStore.AN_SIZE] != 0
                && MessageDigest.isEqual(Arrays.copyOf(record, PageStore.AN_SIZE), Arrays.copyOfRange(an, off,
                off + PageStore.AN_SIZE));
    }

    /**
     * Writes {@code AN := newAns[key]}, {@code MFS := now} for each coin, page by page, each page in one
     * atomic crash-safe write. An absent page is created (its other records unissued).
     *
     * @throws IOException on a storage failure, or if a page kept changing under the write
     */
    void rekey(Map<Long, byte[]> newAns) throws IOException {
        Map<Integer, Map<Long, byte[]>> byPage = new TreeMap<>();
        for (Map.Entry<Long, byte[]> e : newAns.entrySet()) {
            int den = den(e.getKey());
            int page = (int) (sn(e.getKey()) / Denominations.RECORDS_PER_PAGE);
            byPage.computeIfAbsent(PageStore.slot(den, page), k -> new TreeMap<>()).put(e.getKey(), e.getValue());
        }
        byte mfs = (byte) monthsFromStart(clock);
        for (Map<Long, byte[]> coins : byPage.values()) {
            long first = coins.keySet().iterator().next();
            int den = den(first);
            int page = (int) (sn(first) / Denominations.RECORDS_PER_PAGE);
            rekeyPage(den, page, coins, mfs);
        }
    }

    private void rekeyPage(int den, int page, Map<Long, byte[]> coins, byte mfs) throws IOException {
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            boolean present;
            try {
                present = store.readPage(den, page, buf);
            } catch (TruncatedPageException e) {
                present = false;
            }
            if (!present) {
                Arrays.fill(buf, (byte) 0);
            }
            byte[] leaf = present ? MerkleTree.leafHash(buf) : new byte[MerkleTree.HASH_SIZE];
            for (Map.Entry<Long, byte[]> c : coins.entrySet()) {
                int off = (int) (sn(c.getKey()) % Denominations.RECORDS_PER_PAGE) * PageStore.RECORD_SIZE;
                System.arraycopy(c.getValue(), 0, buf, off, PageStore.AN_SIZE);
                buf[off + PageStore.AN_SIZE] = mfs;
            }
            if (store.replacePageIf(den, page, leaf, buf)) {
                return;
            }
        }
        throw new IOException("page " + den + "/" + page + " changed " + MAX_ATTEMPTS + " times during a fix");
    }

    /**
     * MFS of "now" (integrity.md §2): months since February 2023, saturated to 1..255 so an issued
     * record never reads as unissued and never wraps (D-42).
     */
    static int monthsFromStart(Clock clock) {
        ZonedDateTime t = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        int m = (t.getYear() - 2023) * 12 + (t.getMonthValue() - 2);
        return Math.max(1, Math.min(255, m));
    }
}
