package io.raida.protocol.internal;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded worker arrangement every transport uses for command handlers: a fixed number of
 * threads and a bounded queue. {@link #trySubmit} never blocks and never silently loses work: it
 * returns false when full so the caller answers 254 or drops and counts (D-27, D-31). A task that
 * throws is logged; the worker survives.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final ThreadPoolExecutor executor;

    /**
     * A pool whose threads are started at once and kept.
     *
     * @param name the prefix of the threads' names
     * @param threads the thread count, at least 1
     * @param queueCapacity the tasks that may wait for a thread
     */
    public WorkerPool(String name, int threads, int queueCapacity) {
        this(name, threads, queueCapacity, null);
    }

    /**
     * A pool whose threads start on demand and end after {@code idle} without work (null: started
     * at once and kept), for pools that are often unused.
     *
     * @param name the prefix of the threads' names
     * @param threads the thread count, at least 1
     * @param queueCapacity the tasks that may wait for a thread
     * @param idle how long an idle thread lives, or {@code null}
     */
    public WorkerPool(String name, int threads, int queueCapacity, Duration idle) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), tf, new ThreadPoolExecutor.AbortPolicy());
        if (idle == null) {
            executor.prestartAllCoreThreads();
        } else {
            executor.setKeepAliveTime(Math.max(1, idle.toMillis()), TimeUnit.MILLISECONDS);
            executor.allowCoreThreadTimeOut(true);
        }
    }

    /**
     * Queues a task; false if the queue is full or the pool is shut down.
     *
     * @param task the task
     * @return {@code true} if queued
     */
    public boolean trySubmit(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.error("worker task failed", t);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Tasks waiting for a worker.
     *
     * @return the count now
     */
    public int queued() {
        return executor.getQueue().size();
    }

    /**
     * Stops taking tasks and waits up to {@code grace} for queued and running ones; true if all finished.
     *
     * @param grace how long to wait
     * @return {@code true} if every task finished in time
     */
    public boolean shutdown(Duration grace) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * True once every worker thread has ended.
     *
     * @return {@code true} once terminated
     */
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
