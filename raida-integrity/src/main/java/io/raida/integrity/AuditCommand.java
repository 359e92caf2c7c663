package io.raida.integrity;

import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.Denominations;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.StatusCode;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * audit (0/3) over the page store: the number of issued records (MFS ≠ 0) per denomination, as
 * {@link CoinAudit} (15 × {@code den(1) ‖ count(u32)}, D-19). Counts are kept per page: all pages
 * are counted once, on the first audit (a worker-pool handler), and a page is recounted whenever it is
 * written through the store, so an audit costs no page reads after the first. A page that cannot be
 * read answers 194 (storage error).
 */
final class AuditCommand implements PageStore.PageListener {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCommand.class);
    private static final int PAGES = Denominations.COUNT * Denominations.PAGES;

    private final PageStore store;
    /** Issued records per dense page index; -1 until counted. */
    private final AtomicIntegerArray perPage = new AtomicIntegerArray(PAGES);
    /** Writes per page, so a count read before a write is never stored after it. */
    private final AtomicIntegerArray writes = new AtomicIntegerArray(PAGES);

    AuditCommand(PageStore store) {
        this.store = store;
        for (int i = 0; i < PAGES; i++) {
            perPage.set(i, -1);
        }
        store.addListener(this);
    }

    void register(ServerCore core) {
        core.registry().register(CoinAudit.GROUP, CoinAudit.CODE, this::audit);
    }

    void unregister(ServerCore core) {
        core.registry().unregister(CoinAudit.GROUP, CoinAudit.CODE);
    }

    void close() {
        store.removeListener(this);
    }

    CommandResult audit(CommandRequest req) {
        try {
            return CommandResult.success(counts().encode());
        } catch (IOException e) {
            LOG.warn("audit: cannot read the page store: {}", e.toString());
            return CommandResult.of(StatusCode.ERROR_FILESYSTEM);
        }
    }

    CoinAudit counts() throws IOException {
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        long[] c = new long[Denominations.COUNT];
        for (int d = 0; d < Denominations.COUNT; d++) {
            for (int p = 0; p < Denominations.PAGES; p++) {
                int i = d * Denominations.PAGES + p;
                int n = perPage.get(i);
                if (n < 0) {
                    int w = writes.get(i);
                    n = countPage(Denominations.fromIndex(d), p, buf);
                    if (writes.get(i) == w) {
                        perPage.compareAndSet(i, -1, n);
                    }
                }
                c[d] += n;
            }
        }
        return new CoinAudit(c);
    }

    private int countPage(int den, int page, byte[] buf) throws IOException {
        if (!store.readPage(den, page, buf)) {
            return 0;
        }
        int n = 0;
        for (int r = 0; r < Denominations.RECORDS_PER_PAGE; r++) {
            if (buf[r * PageStore.RECORD_SIZE + PageStore.AN_SIZE] != 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void pageWritten(int denomination, int page) {
        // forget the count; the next audit reads this page again (a listener must be quick)
        int i = Denominations.index(denomination) * Denominations.PAGES + page;
        writes.incrementAndGet(i);
        perPage.set(i, -1);
    }
}
