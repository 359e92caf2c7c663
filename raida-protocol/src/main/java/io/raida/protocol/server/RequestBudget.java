package io.raida.protocol.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget for request body bytes buffered by all TCP connections of one server
 * ({@link io.raida.protocol.transport.ConnectionLimits#requestMemoryBudget()}). A body is reserved when
 * its validated header arrives, before its buffer is allocated, and released when the request is
 * answered or its connection closes; a body that does not fit is refused with 254. A small body
 * costs one atomic add on reservation and one on release; bodies above {@link #SMALL_BODY} may use
 * only 7/8 of the budget (so small requests are still served when large ones are refused) and are
 * tracked so that, when the budget is full, those that stalled are shed first.
 */
final class RequestBudget {
    /** Bodies up to this size are small: no tracking, and the whole budget is theirs. */
    static final int SMALL_BODY = RequestFramer.RETAINED_BODY;
    /** Least interval between two scans for stalled bodies. */
    private static final long SCAN_INTERVAL_NANOS = 20_000_000L;

    private final long limit;
    private final long largeLimit;
    private final long stallNanos;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong nextScan = new AtomicLong(System.nanoTime());
    private final Set<ServerExchange> partial = ConcurrentHashMap.newKeySet();
    private final OverloadLog log;

    RequestBudget(long limit, long stallNanos, OverloadLog log) {
        this.limit = limit;
        this.largeLimit = limit - limit / 8;
        this.stallNanos = stallNanos;
        this.log = log;
    }

    /** Reserves {@code n} bytes; false (nothing reserved) when they do not fit. */
    boolean tryReserve(int n) {
        long after = used.addAndGet(n);
        if (after <= (n <= SMALL_BODY ? limit : largeLimit)) {
            return true;
        }
        used.addAndGet(-n);
        return false;
    }

    void release(int n) {
        used.addAndGet(-n);
    }

    /** A large body began to arrive: it may be shed if it stalls while the budget is full. */
    void trackPartial(ServerExchange e) {
        partial.add(e);
    }

    /** The body is complete (or the exchange gone): no longer a candidate for shedding. */
    void untrackPartial(ServerExchange e) {
        partial.remove(e);
    }

    /**
     * The budget is full: closes the connections whose large body began at least the stall time ago
     * and is still incomplete (their bytes are released on their own I/O thread as they close). Scans
     * at most once per 20 ms, whoever calls.
     */
    void shedStalled(long now) {
        long at = nextScan.get();
        if (now - at < 0 || !nextScan.compareAndSet(at, now + SCAN_INTERVAL_NANOS)) {
            return;
        }
        for (ServerExchange e : partial) {
            if (now - e.bodyStartNanos() >= stallNanos && partial.remove(e)) {
                log.record(Overload.SHED_STALLED, "partial request bodies stalled while the request memory budget was "
                        + "full; their connections were closed");
                e.shed();
            }
        }
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
