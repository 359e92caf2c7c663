package io.raida.protocol.server;

import io.raida.protocol.Transport;
import io.raida.protocol.internal.ClassPreloader;
import io.raida.protocol.transport.ResourceLimits;
import io.raida.protocol.transport.ConnectionLimits;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.SourceLimits;
import io.raida.protocol.transport.Timeouts;
import io.raida.protocol.transport.WorkerPools;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server transport drives: one per running server. Owns the bounded worker pool and the UDP
 * exchange pool, creates a {@link ServerExchange} per TCP connection and a {@link DatagramReceiver}
 * per UDP socket, and records the transport's own events (timeouts, connections, dropped replies) in
 * the core's stats. The transport keeps only sockets, event loops, buffers, deadlines and closing.
 *
 * <p>The dispatch policy lives here, configured by {@link ServerOptions} (the options every
 * transport already gives it, so NIO, Netty and in-process get the same policy): request
 * deadlines ({@link Timeouts#tcpDeadline()}, {@link Timeouts#udpDeadline()}), enforced by
 * one timer thread; the local workers; and one waiting bulkhead per name used in
 * {@link CommandRegistry#registerWaiting}, created on its first request.
 */
public final class ServerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDispatcher.class);
    /** Longest a written connection waits for the client's EOF (D-23); shorter when the read timeout is. */
    static final long MAX_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ServerCore core;
    private final ServerOptions options;
    private final String threadName;
    private final Bulkhead workers;
    private final Map<String, Bulkhead> waiting = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ExchangePool udpPool;
    private final long drainNanos;
    private final long tcpDeadlineNanos;
    private final long udpDeadlineNanos;
    private final AtomicInteger onWorkers = new AtomicInteger();
    private final OverloadLog overloadLog;
    private final RequestBudget budget;
    private final SourceAdmission sourceLimits;
    private volatile boolean stopped;

    private ServerDispatcher(ServerCore core, ServerOptions options, String threadName) {
        this.core = Objects.requireNonNull(core, "core");
        this.options = options;
        this.threadName = threadName;
        // before any socket exists: what the JDK creates lazily on the first close must not need a
        // descriptor when none is left
        JdkWarmUp.run();
        ClassPreloader.preload(ServerDispatcher.class, "io.raida.protocol");
        this.overloadLog = new OverloadLog(core.raidaId(), core.stats());
        Timeouts timeouts = options.timeouts();
        ConnectionLimits limits = options.connectionLimits();
        WorkerPools pools = options.workerPools();
        long stallNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(250), timeouts.readTimeout().toNanos() / 2);
        this.budget = new RequestBudget(limits.requestMemoryBudget(), stallNanos, overloadLog);
        core.stats().budget(budget);
        this.sourceLimits = new SourceAdmission(options, core.registry(), overloadLog);
        this.workers = new Bulkhead(threadName, pools.workerThreads(), pools.workerQueueCapacity(), false,
                core.stats().bulkhead(ServerStats.LOCAL_BULKHEAD, pools.workerThreads()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName + "-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartCoreThread(); // one thread for the server's life, like the local workers
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.udpPool = new ExchangePool(this, limits.udpPoolSize());
        this.drainNanos = Math.min(MAX_DRAIN_NANOS, timeouts.readTimeout().toNanos());
        this.tcpDeadlineNanos = timeouts.tcpDeadline().toNanos();
        this.udpDeadlineNanos = timeouts.udpDeadline().toNanos();
        long fds = ResourceLimits.maxFileDescriptors();
        LOG.info("RAIDA {} limits: request memory budget {} KiB (max heap {} MiB), connection limit {}{}, per source: {}",
                core.raidaId(), limits.requestMemoryBudget() / 1024, Runtime.getRuntime().maxMemory() >> 20,
                limits.maxConnections(), fds > 0 ? " (descriptor limit " + fds + ")" : "", perSource(options));
    }

    /** The per-source limits as the start line shows them. */
    private static String perSource(ServerOptions options) {
        SourceLimits o = options.sourceLimits();
        return "tcp " + (o.connectionRatePerSource() == 0 ? "off" : o.connectionRatePerSource() + "/s+"
                + o.connectionBurstPerSource()) + ", " + (o.maxConnectionsPerSource() == 0 ? "no" : o.maxConnectionsPerSource())
                + " open, udp " + (o.datagramRatePerSource() == 0 ? "off" : o.datagramRatePerSource() + "/s+"
                + o.datagramBurstPerSource()) + ", " + o.sourceLimiterSlots() + " slots"
                + (o.limitLoopbackSources() ? "" : " (loopback exempt)");
    }

    /**
     * Starts the worker threads ({@link WorkerPools#workerThreads()}, queue
     * {@link WorkerPools#workerQueueCapacity()}) named {@code threadName-N}.
     *
     * @param core the core whose requests the workers run
     * @param options the thread and queue settings
     * @param threadName the prefix of the threads' names
     * @return the running dispatcher; {@link #shutdown(Duration)} stops it
     */
    public static ServerDispatcher start(ServerCore core, ServerOptions options, String threadName) {
        return new ServerDispatcher(core, options, threadName);
    }

    /**
     * The core this dispatcher serves.
     *
     * @return the core
     */
    public ServerCore core() {
        return core;
    }

    /** The waiting bulkhead {@code name}, or the local workers for null. */
    Bulkhead bulkhead(String name) {
        if (name == null) {
            return workers;
        }
        Bulkhead b = waiting.get(name);
        WorkerPools pools = options.workerPools();
        return b != null ? b : waiting.computeIfAbsent(name, n -> new Bulkhead(threadName + "-" + n,
                pools.waitingThreads(), pools.waitingQueueCapacity(), true,
                core.stats().bulkhead(n, pools.waitingThreads())));
    }

    /** How long a request over {@code transport} has from its admission to its answer. */
    long deadlineNanos(Transport transport) {
        return transport == Transport.UDP ? udpDeadlineNanos : tcpDeadlineNanos;
    }

    /** Runs {@code task} when {@code delayNanos} have passed (null once the server stops). */
    ScheduledFuture<?> atDeadline(Runnable task, long delayNanos) {
        if (stopped) {
            return null;
        }
        try {
            return timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // shut down meanwhile: the worker still answers
        }
    }

    /**
     * A new exchange for the one request of a TCP connection accepted at {@code acceptNanos}.
     *
     * @param remote the peer
     * @param sink where the reply goes
     * @param acceptNanos {@link System#nanoTime()} at accept
     * @return the exchange
     */
    public ServerExchange newStreamExchange(InetSocketAddress remote, ReplySink sink, long acceptNanos) {
        ServerExchange e = new ServerExchange(this, null);
        e.reset(Transport.TCP, remote, acceptNanos, Objects.requireNonNull(sink, "sink"));
        return e;
    }

    /**
     * A receiver for the datagrams of one UDP socket, answering through {@code sink}.
     *
     * @param sink where replies go
     * @return the receiver
     */
    public DatagramReceiver newDatagramReceiver(ReplySink sink) {
        return new DatagramReceiver(this, udpPool, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * How long a connection whose reply is written waits for the client's EOF before it is closed
     * (D-23): 500 ms, or the read timeout when that is shorter. One rule for every transport.
     *
     * @return the drain time in nanoseconds
     */
    public long drainNanos() {
        return drainNanos;
    }

    /**
     * Requests handed to a worker whose reply has not yet reached the sink.
     *
     * @return the count now
     */
    public int inFlight() {
        return onWorkers.get();
    }

    void workerStarted() {
        onWorkers.incrementAndGet();
    }

    void workerFinished() {
        onWorkers.decrementAndGet();
    }

    /** A connection closed because its peer was too slow or silent. */
    public void recordTimeout() {
        core.stats().recordTimeout();
    }

    /** A connection refused at the connection limit (counted as {@code rejectedConnections}, rate-limited log). */
    public void recordRejectedConnection() {
        overloadLog.record(Overload.REJECTED_CONNECTIONS, "the connection limit was reached; new TCP connections are "
                + "closed at once (raise ConnectionLimits.maxConnections and the descriptor limit together)");
    }

    /**
     * accept() failed (EMFILE, ENFILE, ENOBUFS, ...): counted as {@code acceptFailures} and logged at
     * most once per interval; the transport pauses accepting briefly.
     *
     * @param cause the failure
     */
    public void recordAcceptFailure(Throwable cause) {
        overloadLog.record(Overload.ACCEPT_FAILED, "accept failed (" + cause
                + "); accepting pauses briefly and resumes by itself");
    }

    /** A body refused because the request memory budget is full. */
    void recordRejectedMemory() {
        overloadLog.record(Overload.REJECTED_MEMORY, "the request memory budget of "
                + budget.limit() / 1024 + " KiB is full; request bodies are refused with 254");
    }

    RequestBudget budget() {
        return budget;
    }


    /**
     * The per-source admission of a TCP connection just accepted from {@code remote}, asked before
     * anything is read: its source's connection rate and open connections
     * ({@link io.raida.protocol.transport.SourceLimits#connectionRatePerSource()},
     * {@link io.raida.protocol.transport.SourceLimits#maxConnectionsPerSource()}). A refusal is counted
     * ({@code rateLimitedConnections}, {@code sourceLimitedConnections}) and logged with the source at
     * most once per interval; the transport closes the connection at once. Every admitted connection
     * must be given to {@link #releaseConnection} when it closes.
     *
     * @param remote the connection's remote address (null when the transport has none: admitted)
     * @return true to serve the connection, false to close it at once
     */
    public boolean admitConnection(InetSocketAddress remote) {
        return sourceLimits.admitConnection(remote);
    }

    /**
     * A connection that {@link #admitConnection} admitted closed (or was refused by a later check):
     * its source holds one open connection fewer.
     *
     * @param remote the address given to {@link #admitConnection}
     */
    public void releaseConnection(InetSocketAddress remote) {
        sourceLimits.releaseConnection(remote);
    }

    SourceAdmission sourceLimits() {
        return sourceLimits;
    }

    /** A connection was accepted and counts as open. */
    public void recordConnectionOpened() {
        core.stats().connectionOpened();
    }

    /** An open connection closed. */
    public void recordConnectionClosed() {
        core.stats().connectionClosed();
    }

    /** A reply the transport could not send (socket buffer full, send failed). */
    public void recordDroppedReply() {
        core.stats().recordDrop();
    }

    /**
     * A request served by I/O loop {@code loop} (0-based), for the per-loop counters.
     *
     * @param loop the I/O loop's index
     */
    public void recordLoopActivity(int loop) {
        core.stats().recordLoop(loop);
    }

    /**
     * Stops taking work and waits up to {@code grace} for queued and running handlers (local
     * workers first, then each waiting bulkhead with what is left of it); true if all finished.
     *
     * @param grace how long to wait
     * @return {@code true} if every handler finished in time
     */
    public boolean shutdown(Duration grace) {
        stopped = true;
        long end = System.nanoTime() + grace.toNanos();
        boolean all = workers.shutdown(grace);
        for (Bulkhead b : waiting.values()) {
            all &= b.shutdown(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all;
    }
}
