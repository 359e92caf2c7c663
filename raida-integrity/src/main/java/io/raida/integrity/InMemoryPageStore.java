package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A thread-safe {@link PageStore} held in memory (tests, examples, the simulation). Pages start
 * absent; each present page costs 17 408 bytes.
 */
public final class InMemoryPageStore implements PageStore {
    private final AtomicReferenceArray<byte[]> pages =
            new AtomicReferenceArray<>(Denominations.COUNT * Denominations.PAGES);
    private final ListenerSupport listeners = new ListenerSupport();

    @Override
    public boolean readPage(int denomination, int page, byte[] dst) {
        PageStore.checkPage(denomination, page);
        byte[] p = pages.get(PageStore.slot(denomination, page));
        if (p == null) {
            return false;
        }
        System.arraycopy(p, 0, dst, 0, PAGE_SIZE);
        return true;
    }

    @Override
    public boolean readRecord(int denomination, int page, int record, byte[] dst, int off) {
        PageStore.checkPage(denomination, page);
        PageStore.checkRecord(record);
        byte[] p = pages.get(PageStore.slot(denomination, page));
        if (p == null) {
            return false;
        }
        System.arraycopy(p, record * RECORD_SIZE, dst, off, RECORD_SIZE);
        return true;
    }

    @Override
    public void writePage(int denomination, int page, byte[] data) {
        PageStore.checkPage(denomination, page);
        PageStore.checkData(data);
        pages.set(PageStore.slot(denomination, page), data.clone());
        listeners.fire(denomination, page);
    }

    /**
     * Compare-and-write without a lock: the leaf is computed from the page object the slot holds, and
     * the slot is swapped only if it still holds that object, so a write in between is never lost.
     */
    @Override
    public boolean replacePageIf(int denomination, int page, byte[] expectedLeaf, byte[] newPage) {
        PageStore.checkReplace(denomination, page, expectedLeaf, newPage);
        int slot = PageStore.slot(denomination, page);
        byte[] copy = newPage.clone();
        while (true) {
            byte[] cur = pages.get(slot);
            if (!Arrays.equals(MerkleTree.leafHash(cur), expectedLeaf)) {
                return false;
            }
            if (pages.compareAndSet(slot, cur, copy)) {
                listeners.fire(denomination, page);
                return true;
            }
        }
    }

    /**
     * Removes a page (it reads as absent afterwards); listeners are told.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     */
    public void removePage(int denomination, int page) {
        PageStore.checkPage(denomination, page);
        pages.set(PageStore.slot(denomination, page), null);
        listeners.fire(denomination, page);
    }

    /**
     * Number of present pages.
     *
     * @return how many pages were written and not removed
     */
    public int pageCount() {
        int n = 0;
        for (int i = 0; i < pages.length(); i++) {
            n += pages.get(i) == null ? 0 : 1;
        }
        return n;
    }

    @Override
    public void addListener(PageListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PageListener listener) {
        listeners.remove(listener);
    }
}
