package io.raida.integrity;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * What the sync cycle and the healing walk share: waiting for a peer's answer in short slices so a
 * {@code close()} from another thread (or an interrupt) ends the cycle promptly.
 */
abstract class SyncStep {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final BooleanSupplier closed;

    SyncStep(BooleanSupplier closed) {
        this.closed = closed;
    }

    /** Waits in short slices so a close() from another thread is seen while a peer is silent. */
    final <T> T get(CompletableFuture<T> f, long deadlineNanos)
            throws Stopped, ExecutionException, TimeoutException {
        while (true) {
            checkStop();
            long left = deadlineNanos - System.nanoTime();
            try {
                return f.get(Math.max(0, Math.min(left, POLL_NANOS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // for the caller (the scheduler's worker is ending)
                throw new Stopped();
            } catch (TimeoutException e) {
                if (left <= POLL_NANOS) {
                    throw e;
                }
            }
        }
    }

    final boolean stopping() {
        return closed.getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    final void checkStop() throws Stopped {
        if (stopping()) {
            throw new Stopped();
        }
    }

    /** The node is closing or the thread was interrupted: the cycle ends here. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }
}
