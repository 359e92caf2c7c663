package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.io.IOException;

/**
 * Storage of coin pages (integrity.md §2): 15 denominations × 1 000 pages × 1 024 records of 17 bytes
 * ({@code AN[16] ‖ MFS[1]}), one 17 408-byte page at a time. A page that does not exist reads as
 * absent: every serial number on it is unissued and its Merkle leaf is 32 zero bytes.
 *
 * <p>Implementations are thread-safe. Writes are atomic per page (a reader sees the old or the new
 * page, never a mix) and notify the registered {@link PageListener}s after the write is visible, which
 * is how the Merkle trees learn which pages changed. Denominations are codes -8..6, pages 0..999.
 */
public interface PageStore extends AutoCloseable {
    /** Bytes per record: AN(16) ‖ MFS(1). */
    int RECORD_SIZE = 17;
    /** Bytes of an AN. */
    int AN_SIZE = 16;
    /** Bytes per page: 1 024 records, no header or trailer. */
    int PAGE_SIZE = Denominations.RECORDS_PER_PAGE * RECORD_SIZE;

    /**
     * Reads a whole page into {@code dst[0..17408)}.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @param dst the buffer to fill, at least {@link #PAGE_SIZE} bytes
     * @return false if the page is absent (never written, or missing on disk)
     * @throws TruncatedPageException if the page exists but is shorter than 17 408 bytes
     * @throws IOException            on any other storage failure
     */
    boolean readPage(int denomination, int page, byte[] dst) throws IOException;

    /**
     * Replaces a page atomically. {@code data} is exactly {@link #PAGE_SIZE} bytes and is copied.
     * Listeners are told after the new page is visible.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @param data the new page, exactly {@link #PAGE_SIZE} bytes
     * @throws java.io.IOException if the page cannot be written; the old page is then still intact
     */
    void writePage(int denomination, int page, byte[] data) throws IOException;

    /**
     * Compare-and-write of one page, atomic with every other write through this store: replaces the
     * page with {@code newPage} only if the page's current Merkle leaf (integrity.md §3: selective
     * hashing; 32 zero bytes for an absent or short page) equals {@code expectedLeaf}. The healing walk
     * uses it so a page changed locally since the tree snapshot it compared against is never
     * overwritten. Listeners are told only when the page was written.
     *
     * <p>The default reads, compares and then calls {@link #writePage}, so a write by another thread in
     * between is not detected; {@link FilePageStore} (page lock) and {@link InMemoryPageStore}
     * (compare-and-set) override it to make the comparison and the write one atomic step, and so should
     * any other store.
     *
     * @param expectedLeaf the 32-byte leaf the caller saw
     * @param newPage      exactly {@link #PAGE_SIZE} bytes (copied)
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @return false, writing nothing, if the page's leaf is no longer {@code expectedLeaf}
     * @throws java.io.IOException if the page cannot be read or written
     */
    default boolean replacePageIf(int denomination, int page, byte[] expectedLeaf, byte[] newPage)
            throws IOException {
        checkReplace(denomination, page, expectedLeaf, newPage);
        if (!java.util.Arrays.equals(MerkleTree.currentLeaf(this, denomination, page), expectedLeaf)) {
            return false;
        }
        writePage(denomination, page, newPage);
        return true;
    }

    /**
     * Reads one 17-byte record into {@code dst[off..off+17)}; false if its page is absent or short.
     * The default reads the whole page; stores override it with a cheaper positional read.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @param record the record index within the page, 0..1023
     * @param dst the buffer to fill
     * @param off where in {@code dst} the 17 bytes go
     * @return {@code true} if the record was read, {@code false} if its page is absent or short
     * @throws java.io.IOException on a storage failure
     */
    default boolean readRecord(int denomination, int page, int record, byte[] dst, int off) throws IOException {
        checkRecord(record);
        byte[] buf = new byte[PAGE_SIZE];
        try {
            if (!readPage(denomination, page, buf)) {
                return false;
            }
        } catch (TruncatedPageException e) {
            return false;
        }
        System.arraycopy(buf, record * RECORD_SIZE, dst, off, RECORD_SIZE);
        return true;
    }

    /**
     * Registers a listener told about every page written through this store.
     *
     * @param listener told on the writing thread after each page write; must be quick and must not throw
     */
    void addListener(PageListener listener);

    /**
     * Removes a listener.
     *
     * @param listener a listener given to {@link #addListener}; an unknown one is ignored
     */
    void removeListener(PageListener listener);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() throws IOException {
    }

    /** Told after a page was written (on the writing thread; must be quick and must not throw). */
    @FunctionalInterface
    interface PageListener {
        /**
         * Called after the page was written and is visible to readers.
         *
         * @param denomination the denomination code of the written page, -8..6
         * @param page the page number, 0..999
         */
        void pageWritten(int denomination, int page);
    }

    /**
     * Validates page coordinates.
     *
     * @param denomination the denomination code, must be -8..6
     * @param page the page number, must be 0..999
     */
    static void checkPage(int denomination, int page) {
        if (!Denominations.isValid(denomination)) {
            throw new IllegalArgumentException("denomination must be -8..6, got " + denomination);
        }
        if (page < 0 || page >= Denominations.PAGES) {
            throw new IllegalArgumentException("page must be 0..999, got " + page);
        }
    }

    /**
     * Validates a record index.
     *
     * @param record the record index, must be 0..1023
     */
    static void checkRecord(int record) {
        if (record < 0 || record >= Denominations.RECORDS_PER_PAGE) {
            throw new IllegalArgumentException("record must be 0..1023, got " + record);
        }
    }

    /**
     * Validates page data given to {@link #writePage}.
     *
     * @param data the page data, must be exactly {@link #PAGE_SIZE} bytes
     */
    static void checkData(byte[] data) {
        if (data == null || data.length != PAGE_SIZE) {
            throw new IllegalArgumentException("a page is exactly " + PAGE_SIZE + " bytes, got "
                    + (data == null ? "null" : data.length));
        }
    }

    /**
     * Validates the arguments of {@link #replacePageIf}.
     *
     * @param denomination the denomination code, must be -8..6
     * @param page the page number, must be 0..999
     * @param expectedLeaf must be 32 bytes
     * @param newPage must be exactly {@link #PAGE_SIZE} bytes
     */
    static void checkReplace(int denomination, int page, byte[] expectedLeaf, byte[] newPage) {
        checkPage(denomination, page);
        checkData(newPage);
        if (expectedLeaf == null || expectedLeaf.length != MerkleTree.HASH_SIZE) {
            throw new IllegalArgumentException("a leaf hash is " + MerkleTree.HASH_SIZE + " bytes, got "
                    + (expectedLeaf == null ? "null" : expectedLeaf.length));
        }
    }

    /**
     * Dense index of a page: (denomination index) × 1 000 + page.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @return an index 0..14 999, unique per page
     */
    static int slot(int denomination, int page) {
        return Denominations.index(denomination) * Denominations.PAGES + page;
    }
}
