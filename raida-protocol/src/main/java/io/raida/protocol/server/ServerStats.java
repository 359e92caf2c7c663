package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one server: requests by transport and status, drops, timeouts, connections, requests
 * per I/O loop and a latency histogram (power-of-two microsecond buckets). A read-only view for
 * users; the core records into it (transports through {@link ServerDispatcher}). Cheap enough for
 * every request.
 */
public final class ServerStats {
    /** Latency buckets: bucket i counts latencies below 2^i µs (the last one is open-ended). */
    public static final int LATENCY_BUCKETS = 24;

    private final LongAdder tcpRequests = new LongAdder();
    private final LongAdder udpRequests = new LongAdder();
    private final AtomicLongArray byStatus = new AtomicLongArray(256);
    private final LongAdder drops = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final OverloadCounters overloads = new OverloadCounters();
    /** The running server's request budget (null until a server starts). */
    private volatile RequestBudget budget;
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final AtomicLong activeConnections = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLongArray commands = new AtomicLongArray(256 * 256);
    /** Requests (TCP connections and datagrams) served per I/O loop, so spreading over loops is visible. */
    private final AtomicLongArray loops = new AtomicLongArray(MAX_LOOPS);

    /** Name of the local workers' bulkhead in {@link #bulkheads()}. */
    public static final String LOCAL_BULKHEAD = "local";

    private final ResilienceBoard board = new ResilienceBoard();

    /** A circuit breaker's state as the stats show it. */
    public record BreakerState(String name, CircuitBreaker.State state, long rejected, long timesOpened) {
    }

    /** I/O loops counted separately by {@link #loopActivity}; loops beyond it share the last counter. */
    public static final int MAX_LOOPS = 256;

    ServerStats() {
    }

    void recordLoop(int loop) {
        loops.incrementAndGet(Math.min(Math.max(loop, 0), MAX_LOOPS - 1));
    }

    /**
     * Requests (TCP connections and datagrams) that I/O loop {@code loop} (0-based) served.
     *
     * @param loop the I/O loop's index
     * @return the count since start, 0 for an unknown loop
     */
    public long loopActivity(int loop) {
        return loops.get(loop);
    }

    /** The counters of bulkhead {@code name}, created with {@code threads} threads on first use. */
    BulkheadStats bulkhead(String name, int threads) {
        return board.bulkhead(name, threads);
    }

    /**
     * Every bulkhead that has served since start: {@value #LOCAL_BULKHEAD} (the local workers) and
     * each waiting bulkhead ({@link CommandRegistry#registerWaiting}), by name.
     *
     * @return the bulkheads' counters, a snapshot
     */
    public List<BulkheadStats> bulkheads() {
        return board.bulkheads();
    }

    /**
     * The counters of bulkhead {@code name}, or {@code null} if it has not served yet.
     *
     * @param name the bulkhead's name
     * @return the counters, or {@code null}
     */
    public BulkheadStats bulkhead(String name) {
        return board.bulkhead(name);
    }

    /**
     * Shows {@code breaker}'s state in these stats (e.g. the CC2 client's, {@code Cc2Client.breaker()}).
     * Only its state is read; adding the same breaker twice shows it once.
     *
     * @param breaker the breaker to show
     */
    public void showBreaker(CircuitBreaker breaker) {
        board.showBreaker(Objects.requireNonNull(breaker, "breaker"));
    }

    /**
     * The state of every breaker given to {@link #showBreaker}, in the order given.
     *
     * @return the states, a snapshot
     */
    public List<BreakerState> breakers() {
        return board.breakers();
    }

    /** Records one answered request. */
    void recordResponse(Transport transport, int status, long micros) {
        (transport == Transport.UDP ? udpRequests : tcpRequests).increment();
        byStatus.incrementAndGet(status & 0xFF);
        latency.record(micros);
    }

    /** Records that a validated command was dispatched to its handler. */
    void recordCommand(int group, int code) {
        commands.incrementAndGet((group & 0xFF) << 8 | (code & 0xFF));
    }

    /** A request dropped without reply (pool or queue exhausted, datagram too short). */
    void recordDrop() {
        drops.increment();
    }

    /** A connection closed because its peer was too slow or silent. */
    void recordTimeout() {
        timeouts.increment();
    }

    /** A connection refused because the connection limit was reached. */
    void recordRejectedConnection() {
        overloads.record(Overload.REJECTED_CONNECTIONS);
    }

    /** Counts one shed or refused event of {@code kind}; returns that kind's new total. */
    long record(Overload kind) {
        return overloads.record(kind);
    }

    void budget(RequestBudget b) {
        budget = b;
    }

    /** A type 4/5 request seen before within the replay window (answered with 177). */
    void recordReplay() {
        replays.increment();
    }

    /**
     * Type 4/5 requests refused as replays (177, D-12).
     *
     * @return the count since start
     */
    public long replaysRefused() {
        return replays.sum();
    }

    void recordHandlerFailure() {
        handlerFailures.increment();
    }

    void connectionOpened() {
        activeConnections.incrementAndGet();
    }

    void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    /**
     * The requests answered over TCP since start.
     *
     * @return the count
     */
    public long tcpRequests() {
        return tcpRequests.sum();
    }

    /**
     * The requests answered over UDP since start.
     *
     * @return the count
     */
    public long udpRequests() {
        return udpRequests.sum();
    }

    /**
     * The requests answered over both transports since start.
     *
     * @return {@code tcpRequests() + udpRequests()}
     */
    public long requests() {
        return tcpRequests.sum() + udpRequests.sum();
    }

    /**
     * The requests answered with one status since start.
     *
     * @param status the status byte, 0..255
     * @return the count
     */
    public long requestsWithStatus(int status) {
        return byStatus.get(status & 0xFF);
    }

    /**
     * The requests of one command since start.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @return the count
     */
    public long commandCount(int group, int code) {
        return commands.get((group & 0xFF) << 8 | (code & 0xFF));
    }

    /**
     * Requests answered with anything but 250/241/242/243.
     *
     * @return the count since start
     */
    public long errors() {
        long sum = 0;
        for (int s = 0; s < 256; s++) {
            StatusCode c = StatusCode.fromCode(s);
            if (c == null || !c.isResult()) {
                sum += byStatus.get(s);
            }
        }
        return sum;
    }

    /**
     * Requests dropped without a reply since start (pool or queue exhausted, datagram too short).
     *
     * @return the count
     */
    public long drops() {
        return drops.sum();
    }

    /**
     * Connections closed since start because the peer was too slow or silent.
     *
     * @return the count
     */
    public long timeouts() {
        return timeouts.sum();
    }

    /**
     * Connections refused at the connection limit since start.
     *
     * @return the count
     */
    public long rejectedConnections() {
        return overloads.count(Overload.REJECTED_CONNECTIONS);
    }

    /**
     * Request bodies refused with 254 because the request memory budget was full.
     *
     * @return the count since start
     */
    public long rejectedMemory() {
        return overloads.count(Overload.REJECTED_MEMORY);
    }

    /**
     * Connections closed because their partial body stalled while the request memory budget was full.
     *
     * @return the count since start
     */
    public long shedStalled() {
        return overloads.count(Overload.SHED_STALLED);
    }

    /**
     * accept() calls that failed (EMFILE, ENFILE, ENOBUFS, ...), each followed by a short pause.
     *
     * @return the count since start
     */
    public long acceptFailures() {
        return overloads.count(Overload.ACCEPT_FAILED);
    }

    /**
     * TCP connections closed at accept because their source opened new connections faster than
     * {@code SourceLimits.connectionRatePerSource} allows.
     *
     * @return the count since start
     */
    public long rateLimitedConnections() {
        return overloads.count(Overload.RATE_LIMITED_CONNECTIONS);
    }

    /**
     * TCP connections closed at accept because their source already held
     * {@code SourceLimits.maxConnectionsPerSource} open connections.
     *
     * @return the count since start
     */
    public long sourceLimitedConnections() {
        return overloads.count(Overload.SOURCE_LIMITED_CONNECTIONS);
    }

    /**
     * UDP requests that cost work dropped without a reply because their source sent faster than
     * {@code SourceLimits.datagramRatePerSource} allows.
     *
     * @return the count since start
     */
    public long rateLimitedDatagrams() {
        return overloads.count(Overload.RATE_LIMITED_DATAGRAMS);
    }

    /**
     * The count of {@code kind}.
     *
     * @param kind the overload kind
     * @return the count since start
     */
    public long overload(Overload kind) {
        return overloads.count(kind);
    }

    /**
     * Request body bytes reserved in the request memory budget right now (0 when no server runs).
     *
     * @return the bytes reserved now
     */
    public long bufferedRequestBytes() {
        RequestBudget b = budget;
        return b == null ? 0 : b.used();
    }

    /**
     * Handler calls that threw since start (answered 252).
     *
     * @return the count
     */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /**
     * TCP connections open now.
     *
     * @return the count
     */
    public long activeConnections() {
        return activeConnections.get();
    }

    /**
     * Count in latency bucket {@code i} (latencies below 2^i µs; see {@link #LATENCY_BUCKETS}).
     *
     * @param i the bucket index, 0..{@code LATENCY_BUCKETS - 1}
     * @return the count since start
     */
    public long latencyBucket(int i) {
        return latency.bucket(i);
    }

    /**
     * Upper bound in µs of the latency below which {@code quantile} (0..1) of requests fell.
     *
     * @param quantile the quantile, 0..1
     * @return the latency bound in microseconds, 0 before the first request
     */
    public long latencyQuantileMicros(double quantile) {
        return latency.quantileMicros(quantile);
    }

    @Override
    public String toString() {
        return "requests tcp=" + tcpRequests() + " udp=" + udpRequests() + " errors=" + errors() + " drops=" + drops()
                + " timeouts=" + timeouts() + " rejectedConnections=" + rejectedConnections() + " rejectedMemory="
                + rejectedMemory() + " shedStalled=" + shedStalled() + " acceptFailures=" + acceptFailures()
                + " rateLimited tcp=" + rateLimitedConnections() + " perSource=" + sourceLimitedConnections()
                + " udp=" + rateLimitedDatagrams()
                + " active=" + activeConnections()
                + " handlerFailures=" + handlerFailures() + " p50<=" + latencyQuantileMicros(0.5) + "us p99<="
                + latencyQuantileMicros(0.99) + "us" + board.describe();
    }
}
