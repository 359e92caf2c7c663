package io.raida.protocol.server;

import io.raida.protocol.internal.WorkerPool;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded set of threads and queue for one kind of handler: the local workers, or the handlers
 * that wait on one outside dependency ({@link CommandRegistry#registerWaiting}). A stalled
 * dependency fills only its own bulkhead; the local workers keep serving.
 *
 * <p>Admission to a waiting bulkhead follows from the deadline: a request that finds no free
 * thread is queued only if, at the bulkhead's recent call time, the requests ahead of it leave it
 * time to start before its deadline; otherwise it is refused at once (254) rather than queued to
 * expire. The call time is the larger of the recent mean and the time every thread has been busy
 * (no thread started since), and before any call has returned a waiting handler is presumed to
 * take the whole deadline, so a dependency that stalls from the start queues nothing.
 */
final class Bulkhead {
    /** Outcome of {@link #admit}. */
    enum Admission {
        /** Queued or started. */
        ADMITTED,
        /** The queue is full. */
        FULL,
        /** It could not start before its deadline. */
        TOO_LATE
    }

    /** How long an idle thread of a waiting bulkhead is kept. */
    private static final Duration IDLE = Duration.ofSeconds(2);

    private final WorkerPool pool;
    private final int threads;
    private final int capacity;
    private final boolean waiting;
    private final BulkheadStats stats;
    /** When a thread of this bulkhead last started a handler (waiting bulkheads only). */
    private final AtomicLong lastStart = new AtomicLong(System.nanoTime());

    Bulkhead(String threadName, int threads, int capacity, boolean waiting, BulkheadStats stats) {
        // a waiting bulkhead is often idle (CC2 and fix are rare next to local commands): its threads end when unused
        this.pool = new WorkerPool(threadName, threads, capacity, waiting ? IDLE : null);
        this.threads = threads;
        this.capacity = capacity;
        this.waiting = waiting;
        this.stats = stats;
    }

    BulkheadStats stats() {
        return stats;
    }

    /** Queues {@code task} unless the bulkhead is full or (waiting bulkheads) it could not start in time. */
    Admission admit(Runnable task, long nowNanos, long deadlineNanos) {
        if (waiting) {
            int ahead = stats.running() + stats.queued() - threads;
            if (ahead >= 0) {
                if (ahead >= capacity) {
                    stats.recordRefused();
                    return Admission.FULL;
                }
                long left = deadlineNanos - nowNanos;
                long call = Math.max(stats.meanCallNanosOr(left), nowNanos - lastStart.get());
                long rounds = ahead / threads + 1;
                if (call >= left / rounds) {
                    stats.recordRefused();
                    return Admission.TOO_LATE;
                }
            }
        }
        stats.queuedAdd(1);
        if (pool.trySubmit(task)) {
            return Admission.ADMITTED;
        }
        stats.queuedAdd(-1);
        stats.recordRefused();
        return Admission.FULL;
    }

    /** A thread took a request off the queue and starts its handler. */
    void started() {
        stats.queuedAdd(-1);
        stats.runningAdd(1);
        if (waiting) {
            lastStart.set(System.nanoTime());
        }
    }

    /** A queued request was taken off the queue but not run (its peer left). */
    void skipped() {
        stats.queuedAdd(-1);
    }

    /** The handler returned after {@code nanos}, in time or not. */
    void finished(long nanos) {
        stats.runningAdd(-1);
        stats.recordCompleted(nanos);
    }

    /** A queued request's deadline passed: it leaves the queue count (its task will find it expired). */
    void expired() {
        stats.queuedAdd(-1);
        stats.recordExpired();
    }

    /** A running request's deadline passed. */
    void overran() {
        stats.recordOverran();
    }

    boolean shutdown(Duration grace) {
        return pool.shutdown(grace);
    }
}
