package io.raida.protocol.server;

import io.raida.protocol.Transport;
import io.raida.protocol.internal.ClassPreloader;
import io.raida.protocol.internal.WorkerPool;
import io.raida.protocol.transport.ResourceLimits;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server transport drives: one per running server. Owns the bounded worker pool and the UDP
 * exchange pool, creates a {@link ServerExchange} per TCP connection and a {@link DatagramReceiver}
 * per UDP socket, and records the transport's own events (timeouts, connections, dropped replies) in
 * the core's stats. The transport keeps only sockets, event loops, buffers, deadlines and closing.
 */
public final class ServerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDispatcher.class);
    /** Longest a written connection waits for the client's EOF (D-23); shorter when the read timeout is. */
    static final long MAX_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ServerCore core;
    private final WorkerPool workers;
    private final ExchangePool udpPool;
    private final long drainNanos;
    private final AtomicInteger onWorkers = new AtomicInteger();
    private final OverloadLog overloadLog;
    private final RequestBudget budget;

    private ServerDispatcher(ServerCore core, ServerOptions options, String threadName) {
        this.core = Objects.requireNonNull(core, "core");
        // before any socket exists: what the JDK creates lazily on the first close must not need a
        // descriptor when none is left
        JdkWarmUp.run();
        ClassPreloader.preload(ServerDispatcher.class, "io.raida.protocol");
        this.overloadLog = new OverloadLog(core.raidaId(), core.stats());
        long stallNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(250), options.readTimeout().toNanos() / 2);
        this.budget = new RequestBudget(options.requestMemoryBudget(), stallNanos, overloadLog);
        core.stats().budget(budget);
        this.workers = new WorkerPool(threadName, options.workerThreads(), options.workerQueueCapacity());
        this.udpPool = new ExchangePool(this, options.udpPoolSize());
        this.drainNanos = Math.min(MAX_DRAIN_NANOS, options.readTimeout().toNanos());
        long fds = ResourceLimits.maxFileDescriptors();
        LOG.info("RAIDA {} limits: request memory budget {} KiB (max heap {} MiB), connection limit {}{}",
                core.raidaId(), options.requestMemoryBudget() / 1024, Runtime.getRuntime().maxMemory() >> 20,
                options.maxConnections(), fds > 0 ? " (descriptor limit " + fds + ")" : "");
    }

    /**
     * Starts the worker threads ({@link ServerOptions#workerThreads()}, queue
     * {@link ServerOptions#workerQueueCapacity()}) named {@code threadName-N}.
     */
    public static ServerDispatcher start(ServerCore core, ServerOptions options, String threadName) {
        return new ServerDispatcher(core, options, threadName);
    }

    /** The core this dispatcher serves. */
    public ServerCore core() {
        return core;
    }

    WorkerPool workers() {
        return workers;
    }

    /** A new exchange for the one request of a TCP connection accepted at {@code acceptNanos}. */
    public ServerExchange newStreamExchange(InetSocketAddress remote, ReplySink sink, long acceptNanos) {
        ServerExchange e = new ServerExchange(this, null);
        e.reset(Transport.TCP, remote, acceptNanos, Objects.requireNonNull(sink, "sink"));
        return e;
    }

    /** A receiver for the datagrams of one UDP socket, answering through {@code sink}. */
    public DatagramReceiver newDatagramReceiver(ReplySink sink) {
        return new DatagramReceiver(this, udpPool, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * How long a connection whose reply is written waits for the client's EOF before it is closed
     * (D-23): 500 ms, or the read timeout when that is shorter. One rule for every transport.
     */
    public long drainNanos() {
        return drainNanos;
    }

    /** Requests handed to a worker whose reply has not yet reached the sink. */
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
                + "closed at once (raise ServerOptions.maxConnections and the descriptor limit together)");
    }

    /**
     * accept() failed (EMFILE, ENFILE, ENOBUFS, ...): counted as {@code acceptFailures} and logged at
     * most once per interval; the transport pauses accepting briefly.
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

    /** A request served by I/O loop {@code loop} (0-based), for the per-loop counters. */
    public void recordLoopActivity(int loop) {
        core.stats().recordLoop(loop);
    }

    /** Stops taking work and waits up to {@code grace} for queued and running handlers; true if all finished. */
    public boolean shutdown(Duration grace) {
        return workers.shutdown(grace);
    }
}
