package io.raida.integrity;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A page store decorator that records every page written through it (to prove majority servers are never written). */
class CountingPageStore implements PageStore {
    private final PageStore inner;
    private final List<String> writes = new CopyOnWriteArrayList<>();

    CountingPageStore(PageStore inner) {
        this.inner = inner;
    }

    PageStore inner() {
        return inner;
    }

    /** Pages written, as "den/page". */
    List<String> writes() {
        return writes;
    }

    @Override
    public boolean readPage(int den, int page, byte[] dst) throws IOException {
        return inner.readPage(den, page, dst);
    }

    @Override
    public boolean readRecord(int den, int page, int record, byte[] dst, int off) throws IOException {
        return inner.readRecord(den, page, record, dst, off);
    }

    @Override
    public void writePage(int den, int page, byte[] data) throws IOException {
        writes.add(den + "/" + page);
        inner.writePage(den, page, data);
    }

    @Override
    public boolean replacePageIf(int den, int page, byte[] expectedLeaf, byte[] data) throws IOException {
        boolean written = inner.replacePageIf(den, page, expectedLeaf, data);
        if (written) {
            writes.add(den + "/" + page);
        }
        return written;
    }

    @Override
    public void addListener(PageListener listener) {
        inner.addListener(listener);
    }

    @Override
    public void removeListener(PageListener listener) {
        inner.removeListener(listener);
    }
}
