package io.raida.protocol.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one bulkhead: the local workers ({@value ServerStats#LOCAL_BULKHEAD}) or a waiting
 * bulkhead named at registration ({@link CommandRegistry#registerWaiting}). Read-only for users;
 * the dispatcher records into it. Obtained from {@link ServerStats#bulkheads()}.
 */
public final class BulkheadStats {
    private final String name;
    private final int threads;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder expiredBeforeStart = new LongAdder();
    private final LongAdder overran = new LongAdder();
    private final LongAdder refusedAtAdmission = new LongAdder();
    /** Exponentially weighted mean handler time in ns; -1 before the first call completed. */
    private final AtomicLong meanCallNanos = new AtomicLong(-1);

    BulkheadStats(String name, int threads) {
        this.name = name;
        this.threads = threads;
    }

    /**
     * The bulkhead's name ({@value ServerStats#LOCAL_BULKHEAD} for the local workers).
     *
     * @return the name, never {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Its threads: at most this many of its handlers run at once.
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }

    /**
     * Requests waiting for one of its threads now.
     *
     * @return the queue length now
     */
    public int queued() {
        return queued.get();
    }

    /**
     * Handlers running now.
     *
     * @return the running handlers now
     */
    public int running() {
        return running.get();
    }

    /**
     * Handlers that returned (in time or not) since start.
     *
     * @return the count since start
     */
    public long completed() {
        return completed.sum();
    }

    /**
     * Requests whose deadline passed while they waited for a thread: answered 254, handler never run.
     *
     * @return the count since start
     */
    public long expiredBeforeStart() {
        return expiredBeforeStart.sum();
    }

    /**
     * Requests whose handler was still running at the deadline: answered 254, the late result discarded.
     *
     * @return the count since start
     */
    public long overran() {
        return overran.sum();
    }

    /**
     * Requests refused with 254 (or dropped, UDP on the local workers) on arrival: full, or could not start in time.
     *
     * @return the count since start
     */
    public long refusedAtAdmission() {
        return refusedAtAdmission.sum();
    }

    /**
     * Mean time its handlers take, from the recent calls (0 before the first one returned).
     *
     * @return the mean call time in microseconds
     */
    public long meanCallMicros() {
        long m = meanCallNanos.get();
        return m < 0 ? 0 : m / 1_000;
    }

    long meanCallNanosOr(long none) {
        long m = meanCallNanos.get();
        return m < 0 ? none : m;
    }

    void queuedAdd(int delta) {
        queued.addAndGet(delta);
    }

    void runningAdd(int delta) {
        running.addAndGet(delta);
    }

    void recordCompleted(long nanos) {
        completed.increment();
        // weight 1/8: reacts within a few calls when a dependency stalls or recovers
        meanCallNanos.updateAndGet(m -> m < 0 ? nanos : m + (nanos - m) / 8);
    }

    void recordExpired() {
        expiredBeforeStart.increment();
    }

    void recordOverran() {
        overran.increment();
    }

    void recordRefused() {
        refusedAtAdmission.increment();
    }

    @Override
    public String toString() {
        return "bulkhead " + name + ": threads=" + threads + " queued=" + queued() + " running=" + running()
                + " completed=" + completed() + " expired=" + expiredBeforeStart() + " overran=" + overran()
                + " refused=" + refusedAtAdmission() + " meanCall=" + meanCallMicros() + "us";
    }
}
