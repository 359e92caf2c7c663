package io.raida.protocol.transport;

import static io.raida.protocol.internal.OptionChecks.positive;

import java.util.function.Consumer;

/**
 * The threads and queues requests are dispatched to: the local workers every handler runs on, and
 * the waiting bulkheads of handlers that wait on a back end. Immutable; part of
 * {@link ServerOptions#workerPools()}.
 */
public final class WorkerPools {
    private static final WorkerPools DEFAULTS = builder().build();

    /** 0: derived from the I/O threads by {@link ServerOptions.Builder#build()}. */
    private final int workerThreads;
    private final int workerQueueCapacity;
    private final int waitingThreads;
    private final int waitingQueueCapacity;

    private WorkerPools(int workerThreads, int workerQueueCapacity, int waitingThreads, int waitingQueueCapacity) {
        this.workerThreads = workerThreads;
        this.workerQueueCapacity = workerQueueCapacity;
        this.waitingThreads = waitingThreads;
        this.waitingQueueCapacity = waitingQueueCapacity;
    }

    /**
     * A builder holding the defaults, to change some of them.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults: workers derived from the I/O threads, 4 096 queued, 8 threads and 1 024 queued
     * per waiting bulkhead.
     *
     * @return the defaults
     */
    public static WorkerPools defaults() {
        return DEFAULTS;
    }

    /** These values with some changed by {@code edit} on a builder pre-filled with them. */
    WorkerPools edit(Consumer<Builder> edit) {
        Builder b = toBuilder();
        edit.accept(b);
        return b.build();
    }

    /**
     * The worker threads a server uses unless told otherwise for {@code ioThreads} I/O threads:
     * twice as many (blocking handlers wait on storage more than they compute), at least 8 as the
     * reference server.
     *
     * @param ioThreads the server's I/O thread count
     * @return the default worker thread count, at least 8
     */
    public static int defaultWorkerThreads(int ioThreads) {
        return Math.max(8, 2 * ioThreads);
    }

    /**
     * A builder pre-filled with these pools.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder().workerQueueCapacity(workerQueueCapacity).waitingThreads(waitingThreads)
                .waitingQueueCapacity(waitingQueueCapacity);
        b.workerThreads = workerThreads;
        return b;
    }

    /** These pools with the worker count derived from {@code ioThreads} when none was set. */
    WorkerPools resolve(int ioThreads) {
        return workerThreads > 0 ? this : new WorkerPools(defaultWorkerThreads(ioThreads),
                workerQueueCapacity, waitingThreads, waitingQueueCapacity);
    }

    /**
     * Worker threads for command handlers (default
     * {@link #defaultWorkerThreads(int) max(8, 2 × I/O threads)}). The pools of built
     * {@link ServerOptions} always hold the count; pools built alone hold 0 until then when it was
     * not set.
     *
     * @return the worker thread count, at least 1 once part of {@link ServerOptions}
     */
    public int workerThreads() {
        return workerThreads;
    }

    /**
     * Requests that may wait for a worker; beyond it requests are refused with 254 (D-31).
     *
     * @return the queue capacity
     */
    public int workerQueueCapacity() {
        return workerQueueCapacity;
    }

    /**
     * Threads of each waiting bulkhead (default 8): handlers registered with
     * {@code CommandRegistry.registerWaiting} run there, never on the local workers, so a stalled
     * back end holds at most this many threads.
     *
     * @return the thread count per waiting bulkhead
     */
    public int waitingThreads() {
        return waitingThreads;
    }

    /**
     * Most requests queued in each waiting bulkhead (default 1 024). Fewer are queued when the
     * bulkhead's measured call time says a request could not start before its deadline: those are
     * refused with 254 at once.
     *
     * @return the queue capacity per waiting bulkhead
     */
    public int waitingQueueCapacity() {
        return waitingQueueCapacity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerPools w && workerThreads == w.workerThreads
                && workerQueueCapacity == w.workerQueueCapacity && waitingThreads == w.waitingThreads
                && waitingQueueCapacity == w.waitingQueueCapacity;
    }

    @Override
    public int hashCode() {
        return ((workerThreads * 31 + workerQueueCapacity) * 31 + waitingThreads) * 31 + waitingQueueCapacity;
    }

    @Override
    public String toString() {
        return "WorkerPools[workers=" + (workerThreads == 0 ? "auto" : workerThreads) + ", queue="
                + workerQueueCapacity + ", waiting=" + waitingThreads + "/" + waitingQueueCapacity + "]";
    }

    /** Builder of {@link WorkerPools}. */
    public static final class Builder {
        /** 0: sized from the I/O threads by {@link ServerOptions.Builder#build()}. */
        private int workerThreads;
        private int workerQueueCapacity = 4_096;
        private int waitingThreads = 8;
        private int waitingQueueCapacity = 1_024;

        private Builder() {
        }

        /**
         * See {@link WorkerPools#workerThreads()}; unset, the count follows the server's I/O threads.
         *
         * @param n the thread count, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder workerThreads(int n) {
            this.workerThreads = positive("workerThreads", n);
            return this;
        }

        /**
         * See {@link WorkerPools#workerQueueCapacity()}.
         *
         * @param n the queue capacity, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder workerQueueCapacity(int n) {
            this.workerQueueCapacity = positive("workerQueueCapacity", n);
            return this;
        }

        /**
         * See {@link WorkerPools#waitingThreads()}.
         *
         * @param n the thread count, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder waitingThreads(int n) {
            this.waitingThreads = positive("waitingThreads", n);
            return this;
        }

        /**
         * See {@link WorkerPools#waitingQueueCapacity()}.
         *
         * @param n the queue capacity, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder waitingQueueCapacity(int n) {
            this.waitingQueueCapacity = positive("waitingQueueCapacity", n);
            return this;
        }

        /**
         * The pools.
         *
         * @return new immutable pools holding the values set so far
         */
        public WorkerPools build() {
            return new WorkerPools(workerThreads, workerQueueCapacity, waitingThreads, waitingQueueCapacity);
        }
    }
}
