package io.raida.protocol.transport;

import io.raida.protocol.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Transport configuration shared by every server transport, so an embedder switches between NIO and
 * Netty by changing one line. Immutable; build with {@link #builder()}. Defaults follow the
 * reference configuration (transport.md §4) with the deadlines the reference lacks (D-30).
 */
public final class ServerOptions {
    /** Cap of {@link #defaultIoThreads()}. */
    public static final int MAX_DEFAULT_IO_THREADS = 16;

    private final String host;
    private final int port;
    private final boolean tcp;
    private final boolean udp;
    private final int ioThreads;
    private final int workerThreads;
    private final int workerQueueCapacity;
    private final Duration readTimeout;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final long requestMemoryBudget;
    private final int udpPoolSize;
    private final int udpPayloadThreshold;
    private final Duration shutdownTimeout;
    private final boolean keepAlive;
    private final boolean preferNativeTransport;
    private final Duration tcpDeadline;
    private final Duration udpDeadline;
    private final int waitingThreads;
    private final int waitingQueueCapacity;
    private final int connectionRatePerSource;
    private final int connectionBurstPerSource;
    private final int maxConnectionsPerSource;
    private final int datagramRatePerSource;
    private final int datagramBurstPerSource;
    private final int sourceLimiterSlots;
    private final boolean limitLoopbackSources;

    private ServerOptions(Builder b) {
        host = b.host;
        port = b.port;
        tcp = b.tcp;
        udp = b.udp;
        ioThreads = b.ioThreads;
        workerThreads = b.workerThreads > 0 ? b.workerThreads : defaultWorkerThreads(b.ioThreads);
        workerQueueCapacity = b.workerQueueCapacity;
        readTimeout = b.readTimeout;
        idleTimeout = b.idleTimeout;
        maxConnections = b.maxConnections;
        requestMemoryBudget = b.requestMemoryBudget;
        udpPoolSize = b.udpPoolSize;
        udpPayloadThreshold = b.udpPayloadThreshold;
        shutdownTimeout = b.shutdownTimeout;
        keepAlive = b.keepAlive;
        preferNativeTransport = b.preferNativeTransport;
        tcpDeadline = b.tcpDeadline;
        udpDeadline = b.udpDeadline;
        waitingThreads = b.waitingThreads;
        waitingQueueCapacity = b.waitingQueueCapacity;
        connectionRatePerSource = b.connectionRatePerSource;
        connectionBurstPerSource = b.connectionBurstPerSource;
        maxConnectionsPerSource = b.maxConnectionsPerSource;
        datagramRatePerSource = b.datagramRatePerSource;
        datagramBurstPerSource = b.datagramBurstPerSource;
        sourceLimiterSlots = b.sourceLimiterSlots;
        limitLoopbackSources = b.limitLoopbackSources;
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
     * The I/O threads a server uses unless told otherwise: one per available processor, at most
     * {@value #MAX_DEFAULT_IO_THREADS} (beyond that one port's sockets rarely gain; set
     * {@link Builder#ioThreads(int)} explicitly on bigger machines).
     *
     * @return the default I/O thread count, 1..{@value #MAX_DEFAULT_IO_THREADS}
     */
    public static int defaultIoThreads() {
        return Math.max(1, Math.min(MAX_DEFAULT_IO_THREADS, Runtime.getRuntime().availableProcessors()));
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
     * Defaults: loopback, ephemeral port.
     *
     * @return the defaults
     */
    public static ServerOptions defaults() {
        return builder().build();
    }

    /**
     * A builder pre-filled with these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).tcp(tcp).udp(udp).ioThreads(ioThreads).workerThreads(workerThreads)
                .workerQueueCapacity(workerQueueCapacity).readTimeout(readTimeout).idleTimeout(idleTimeout)
                .maxConnections(maxConnections).requestMemoryBudget(requestMemoryBudget).udpPoolSize(udpPoolSize).udpPayloadThreshold(udpPayloadThreshold)
                .shutdownTimeout(shutdownTimeout).keepAlive(keepAlive).preferNativeTransport(preferNativeTransport)
                .tcpDeadline(tcpDeadline).udpDeadline(udpDeadline).waitingThreads(waitingThreads)
                .waitingQueueCapacity(waitingQueueCapacity)
                .connectionRatePerSource(connectionRatePerSource, connectionBurstPerSource)
                .maxConnectionsPerSource(maxConnectionsPerSource)
                .datagramRatePerSource(datagramRatePerSource, datagramBurstPerSource)
                .sourceLimiterSlots(sourceLimiterSlots).limitLoopbackSources(limitLoopbackSources);
    }

    /**
     * Bind address (default 127.0.0.1). A wildcard (0.0.0.0, ::) serves TCP on every address; with
     * UDP enabled it is refused by {@link #bindAddress()} (one server per address instead).
     *
     * @return the host name or address literal, never {@code null}
     */
    public String host() {
        return host;
    }

    /**
     * The address every server transport binds, resolved once by the same rule (issue 21):
     * an unresolvable host is an {@link UnknownHostException} naming it, and a wildcard address
     * with UDP enabled is refused. An unconnected UDP socket on the wildcard answers a datagram
     * sent to a secondary address (an alias, a floating or virtual IP, 127.0.0.2) from the route's
     * primary address, and clients rightly drop replies from an address they did not send to:
     * such a server would silently serve only half its addresses. A UDP reply must leave from the
     * address its request came to, which a socket bound to that one address guarantees.
     *
     * @return the address to bind
     * @throws UnknownHostException     if {@link #host()} does not resolve
     * @throws IllegalArgumentException for a wildcard host with UDP enabled
     */
    public InetAddress bindAddress() throws UnknownHostException {
        InetAddress a;
        try {
            a = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("cannot resolve the server's bind host \"" + host + "\": " + e.getMessage());
        }
        if (udp && a.isAnyLocalAddress()) {
            throw new IllegalArgumentException("UDP on the wildcard address " + host + " would answer datagrams sent to "
                    + "a secondary address (an alias, a floating IP, 127.0.0.2) from the primary one, which clients "
                    + "drop: bind each address with its own server, or serve the wildcard with TCP only (udp(false))");
        }
        return a;
    }

    /**
     * Port for both TCP and UDP; 0 picks a free port (read it back from the server).
     *
     * @return the port, 0..65535
     */
    public int port() {
        return port;
    }

    /**
     * Whether the server accepts TCP connections (default true).
     *
     * @return {@code true} if TCP is served
     */
    public boolean tcpEnabled() {
        return tcp;
    }

    /**
     * Whether the server reads UDP datagrams (default true).
     *
     * @return {@code true} if UDP is served
     */
    public boolean udpEnabled() {
        return udp;
    }

    /**
     * I/O (event-loop) threads: each runs its own loop and, where the OS allows it
     * ({@code SO_REUSEPORT}), its own UDP socket and TCP listener on the port. Default
     * {@link #defaultIoThreads()}.
     *
     * @return the I/O thread count, at least 1
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Worker threads for command handlers (default {@link #defaultWorkerThreads(int) max(8, 2 × I/O threads)}).
     *
     * @return the worker thread count, at least 1
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
     * A TCP request (header and body) must arrive within this time of accept (default 2 s, the seed's
     * SOCKET_TIMEOUT).
     *
     * @return the read timeout, positive
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * A connection with no read or write progress for this long is closed (default 30 s).
     *
     * @return the idle timeout, positive
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Open TCP connections allowed; further ones are accepted and closed at once and counted as
     * {@code rejectedConnections}. Default {@link ResourceLimits#defaultMaxConnections()}: the
     * process's descriptor limit minus the descriptors open when the options are built minus a
     * headroom of max(64, limit / 8); 10 000 where the platform does not report its limit.
     *
     * @return the connection limit, positive
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Request body bytes all TCP connections together may hold while their bodies arrive (default
     * {@link ResourceLimits#defaultRequestMemoryBudget()}, a quarter of the maximum heap). A body
     * that does not fit is refused at its header with 254 and counted as {@code rejectedMemory};
     * under pressure, partial bodies that stall are shed first ({@code shedStalled}). Bodies above
     * 2 KiB may use only 7/8 of it, so small requests are still served while large ones are refused.
     *
     * @return the budget in bytes
     */
    public long requestMemoryBudget() {
        return requestMemoryBudget;
    }

    /**
     * Pooled UDP request contexts (default 4 096); when all are busy datagrams are dropped and counted.
     *
     * @return the pool size
     */
    public int udpPoolSize() {
        return udpPoolSize;
    }

    /**
     * Largest UDP request read (default 1 440 bytes, the reference configuration); longer ones get 16.
     *
     * @return the largest datagram size in bytes
     */
    public int udpPayloadThreshold() {
        return udpPayloadThreshold;
    }

    /**
     * How long {@code close()} waits for in-flight requests (default 5 s).
     *
     * @return the shutdown timeout, zero or positive
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * SO_KEEPALIVE with idle 60 s, interval 10 s, 5 probes on accepted sockets (default true).
     *
     * @return {@code true} if keep-alive is set on accepted sockets
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * Use a native transport (Netty epoll) when available (default true; the NIO transport ignores it).
     *
     * @return {@code true} to use a native transport where one loads
     */
    public boolean preferNativeTransport() {
        return preferNativeTransport;
    }

    /**
     * How long after its first byte a TCP request must be answered (default 10 s, the read timeout
     * clients are told to use, transport.md §5). A request still waiting for a worker then is
     * answered 254 without running; one whose handler is still running is answered 254 and its
     * connection closes (the handler runs on, its result is discarded).
     *
     * @return the TCP request deadline, positive
     */
    public Duration tcpDeadline() {
        return tcpDeadline;
    }

    /**
     * The same for a UDP request, counted from its arrival (default 3 s, the clients' UDP timeout).
     *
     * @return the UDP request deadline, positive
     */
    public Duration udpDeadline() {
        return udpDeadline;
    }

    /**
     * The deadline of a request arriving over {@code transport}.
     *
     * @param transport TCP or UDP
     * @return {@link #tcpDeadline()} or {@link #udpDeadline()}
     */
    public Duration deadline(Transport transport) {
        return transport == Transport.UDP ? udpDeadline : tcpDeadline;
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

    /**
     * New TCP connections per second one source may open on average (default 200; 0: no limit).
     * A source is an IPv4 address or an IPv6 /64. A connection over the rate is closed at once,
     * before it is read, and counted as {@code rateLimitedConnections}.
     *
     * @return connections per second per source, 0 when this limit is off
     */
    public int connectionRatePerSource() {
        return connectionRatePerSource;
    }

    /**
     * New TCP connections one source may open at once above {@link #connectionRatePerSource()}
     * (its token bucket's size; default 400).
     *
     * @return the burst per source
     */
    public int connectionBurstPerSource() {
        return connectionBurstPerSource;
    }

    /**
     * TCP connections one source may hold open at once (default 256; 0: no limit). A further one is
     * closed at once and counted as {@code sourceLimitedConnections}. The count lives only while
     * connections are open, so its memory is bounded by {@link #maxConnections()}.
     *
     * @return open connections per source, 0 when this limit is off
     */
    public int maxConnectionsPerSource() {
        return maxConnectionsPerSource;
    }

    /**
     * UDP requests that cost work one source may send per second on average (default 2 000; 0: no
     * limit): every datagram but a type-0 request for a non-blocking command (echo, version), which
     * is answered on the I/O thread with no key lookup, decryption or worker. A request over the
     * rate is dropped without a reply (a reply could be sent to a spoofed victim) and counted as
     * {@code rateLimitedDatagrams}.
     *
     * @return requests per second per source, 0 when this limit is off
     */
    public int datagramRatePerSource() {
        return datagramRatePerSource;
    }

    /**
     * UDP requests that cost work one source may send at once above {@link #datagramRatePerSource()}
     * (default 4 000).
     *
     * @return the burst per source
     */
    public int datagramBurstPerSource() {
        return datagramBurstPerSource;
    }

    /**
     * Sources each rate limiter tracks at once (default 16 384, rounded up to a power of two; about
     * 32 bytes each). Memory is fixed whatever the number of sources, spoofed or not: when the table
     * is full the source idle longest is forgotten and starts again with a full bucket.
     *
     * @return the slots of each rate limiter
     */
    public int sourceLimiterSlots() {
        return sourceLimiterSlots;
    }

    /**
     * Whether the per-source limits apply to loopback sources (127.0.0.0/8, ::1) too (default
     * false). Loopback traffic cannot be spoofed from off the host and comes from local processes
     * (a health check, a benchmark, a TLS terminator or proxy in front of the server, behind which
     * every client would share one address), so it is exempt unless this is set.
     *
     * @return true when loopback sources are limited like any other
     */
    public boolean limitLoopbackSources() {
        return limitLoopbackSources;
    }

    @Override
    public String toString() {
        return "ServerOptions[" + host + ":" + port + (tcp ? " tcp" : "") + (udp ? " udp" : "") + ", io=" + ioThreads
                + ", workers=" + workerThreads + ", queue=" + workerQueueCapacity + ", read=" + readTimeout.toMillis()
                + "ms, idle=" + idleTimeout.toMillis() + "ms, maxConn=" + maxConnections + ", udpPool=" + udpPoolSize
                + ", udpMax=" + udpPayloadThreshold + ", deadline tcp=" + tcpDeadline.toMillis() + "ms udp="
                + udpDeadline.toMillis() + "ms, waiting=" + waitingThreads + "/" + waitingQueueCapacity + ", perSource tcp="
                + connectionRatePerSource + "/s+" + connectionBurstPerSource + " open=" + maxConnectionsPerSource
                + " udp=" + datagramRatePerSource + "/s+" + datagramBurstPerSource + " slots=" + sourceLimiterSlots
                + (limitLoopbackSources ? " loopback" : "") + "]";
    }

    /** Builder of {@link ServerOptions}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean tcp = true;
        private boolean udp = true;
        private int ioThreads = defaultIoThreads();
        /** 0: sized from the I/O threads at {@link #build()}. */
        private int workerThreads;
        private int workerQueueCapacity = 4_096;
        private Duration readTimeout = Duration.ofSeconds(2);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxConnections = ResourceLimits.defaultMaxConnections();
        private long requestMemoryBudget = ResourceLimits.defaultRequestMemoryBudget();
        private int udpPoolSize = 4_096;
        private int udpPayloadThreshold = 1_440;
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private boolean keepAlive = true;
        private boolean preferNativeTransport = true;
        private Duration tcpDeadline = Duration.ofSeconds(10);
        private Duration udpDeadline = Duration.ofSeconds(3);
        private int waitingThreads = 8;
        private int waitingQueueCapacity = 1_024;
        private int connectionRatePerSource = 200;
        private int connectionBurstPerSource = 400;
        private int maxConnectionsPerSource = 256;
        private int datagramRatePerSource = 2_000;
        private int datagramBurstPerSource = 4_000;
        private int sourceLimiterSlots = 16_384;
        private boolean limitLoopbackSources;

        private Builder() {
        }

        /**
         * See {@link ServerOptions#connectionRatePerSource()} and
         * {@link ServerOptions#connectionBurstPerSource()}.
         *
         * @param perSecond new connections per second per source, 0..1 000 000 (0 turns the limit off)
         * @param burst     connections allowed at once, 1..1 000 000 000 (ignored when the limit is off)
         * @return this builder
         * @throws IllegalArgumentException for a value out of range
         */
        public Builder connectionRatePerSource(int perSecond, int burst) {
            rate("connectionRatePerSource", perSecond, burst);
            this.connectionRatePerSource = perSecond;
            this.connectionBurstPerSource = burst;
            return this;
        }

        /**
         * See {@link ServerOptions#maxConnectionsPerSource()}.
         *
         * @param n open connections per source (0 turns the limit off)
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder maxConnectionsPerSource(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxConnectionsPerSource must be 0 (off) or positive, got " + n);
            }
            this.maxConnectionsPerSource = n;
            return this;
        }

        /**
         * See {@link ServerOptions#datagramRatePerSource()} and {@link ServerOptions#datagramBurstPerSource()}.
         *
         * @param perSecond UDP requests that cost work per second per source, 0..1 000 000 (0 turns the
         *                  limit off)
         * @param burst     requests allowed at once, 1..1 000 000 000 (ignored when the limit is off)
         * @return this builder
         * @throws IllegalArgumentException for a value out of range
         */
        public Builder datagramRatePerSource(int perSecond, int burst) {
            rate("datagramRatePerSource", perSecond, burst);
            this.datagramRatePerSource = perSecond;
            this.datagramBurstPerSource = burst;
            return this;
        }

        /**
         * See {@link ServerOptions#sourceLimiterSlots()}.
         *
         * @param slots sources each rate limiter tracks, 2..16 777 216
         * @return this builder
         * @throws IllegalArgumentException for a value out of range
         */
        public Builder sourceLimiterSlots(int slots) {
            if (slots < 2 || slots > (1 << 24)) {
                throw new IllegalArgumentException("sourceLimiterSlots must be 2..16777216, got " + slots);
            }
            this.sourceLimiterSlots = slots;
            return this;
        }

        /**
         * See {@link ServerOptions#limitLoopbackSources()}.
         *
         * @param limit true to limit loopback sources like any other
         * @return this builder
         */
        public Builder limitLoopbackSources(boolean limit) {
            this.limitLoopbackSources = limit;
            return this;
        }

        private static void rate(String name, int perSecond, int burst) {
            if (perSecond < 0 || perSecond > 1_000_000) {
                throw new IllegalArgumentException(name + ": the rate must be 0 (off) to 1000000 per second, got "
                        + perSecond);
            }
            if (perSecond > 0 && (burst < 1 || burst > 1_000_000_000)) {
                throw new IllegalArgumentException(name + ": the burst must be 1..1000000000, got " + burst);
            }
        }

        /**
         * See {@link ServerOptions#tcpDeadline()}.
         *
         * @param d the deadline, positive
         * @return this builder
         */
        public Builder tcpDeadline(Duration d) {
            this.tcpDeadline = positive("tcpDeadline", d);
            return this;
        }

        /**
         * See {@link ServerOptions#udpDeadline()}.
         *
         * @param d the deadline, positive
         * @return this builder
         */
        public Builder udpDeadline(Duration d) {
            this.udpDeadline = positive("udpDeadline", d);
            return this;
        }

        /**
         * See {@link ServerOptions#waitingThreads()}.
         *
         * @param n the thread count, at least 1
         * @return this builder
         */
        public Builder waitingThreads(int n) {
            this.waitingThreads = positive("waitingThreads", n);
            return this;
        }

        /**
         * See {@link ServerOptions#waitingQueueCapacity()}.
         *
         * @param n the queue capacity
         * @return this builder
         */
        public Builder waitingQueueCapacity(int n) {
            this.waitingQueueCapacity = positive("waitingQueueCapacity", n);
            return this;
        }

        /**
         * The bind address, a host name or address literal (default 127.0.0.1); see {@link ServerOptions#host()}.
         *
         * @param host the host, not {@code null}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port for TCP and UDP; 0 (the default) picks a free one.
         *
         * @param port the port, 0..65535
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Whether to accept TCP connections (default true); TCP or UDP must stay enabled.
         *
         * @param enabled {@code false} for a UDP-only server
         * @return this builder
         */
        public Builder tcp(boolean enabled) {
            this.tcp = enabled;
            return this;
        }

        /**
         * Whether to read UDP datagrams (default true); TCP or UDP must stay enabled.
         *
         * @param enabled {@code false} for a TCP-only server
         * @return this builder
         */
        public Builder udp(boolean enabled) {
            this.udp = enabled;
            return this;
        }

        /**
         * See {@link ServerOptions#ioThreads()}.
         *
         * @param n the thread count, at least 1
         * @return this builder
         */
        public Builder ioThreads(int n) {
            this.ioThreads = positive("ioThreads", n);
            return this;
        }

        /**
         * See {@link ServerOptions#workerThreads()}.
         *
         * @param n the thread count, at least 1
         * @return this builder
         */
        public Builder workerThreads(int n) {
            this.workerThreads = positive("workerThreads", n);
            return this;
        }

        /**
         * See {@link ServerOptions#workerQueueCapacity()}.
         *
         * @param n the queue capacity
         * @return this builder
         */
        public Builder workerQueueCapacity(int n) {
            this.workerQueueCapacity = positive("workerQueueCapacity", n);
            return this;
        }

        /**
         * See {@link ServerOptions#readTimeout()}.
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder readTimeout(Duration d) {
            this.readTimeout = positive("readTimeout", d);
            return this;
        }

        /**
         * See {@link ServerOptions#idleTimeout()}.
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive("idleTimeout", d);
            return this;
        }

        /**
         * See {@link ServerOptions#maxConnections()}.
         *
         * @param n the connection limit, positive
         * @return this builder
         */
        public Builder maxConnections(int n) {
            this.maxConnections = positive("maxConnections", n);
            return this;
        }

        /**
         * See {@link ServerOptions#requestMemoryBudget()}; at least 65 535 bytes (one largest body).
         *
         * @param bytes the budget in bytes
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is below 65 535
         */
        public Builder requestMemoryBudget(long bytes) {
            if (bytes < 65_535) {
                throw new IllegalArgumentException("requestMemoryBudget must be at least 65535 bytes (one largest "
                        + "request body), got " + bytes);
            }
            this.requestMemoryBudget = bytes;
            return this;
        }

        /**
         * See {@link ServerOptions#udpPoolSize()}.
         *
         * @param n the pool size, positive
         * @return this builder
         */
        public Builder udpPoolSize(int n) {
            this.udpPoolSize = positive("udpPoolSize", n);
            return this;
        }

        /**
         * See {@link ServerOptions#udpPayloadThreshold()}.
         *
         * @param n the largest datagram in bytes, 48..65507
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is out of range
         */
        public Builder udpPayloadThreshold(int n) {
            if (n < 48 || n > 65_507) {
                throw new IllegalArgumentException("udpPayloadThreshold must be 48..65507, got " + n);
            }
            this.udpPayloadThreshold = n;
            return this;
        }

        /**
         * See {@link ServerOptions#shutdownTimeout()}.
         *
         * @param d the timeout, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder shutdownTimeout(Duration d) {
            Objects.requireNonNull(d, "shutdownTimeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            this.shutdownTimeout = d;
            return this;
        }

        /**
         * See {@link ServerOptions#keepAlive()}.
         *
         * @param keepAlive {@code false} to leave keep-alive off
         * @return this builder
         */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * See {@link ServerOptions#preferNativeTransport()}.
         *
         * @param preferNative {@code false} to always use Java NIO event loops
         * @return this builder
         */
        public Builder preferNativeTransport(boolean preferNative) {
            this.preferNativeTransport = preferNative;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options holding the values set so far
         * @throws IllegalArgumentException if both TCP and UDP are disabled
         */
        public ServerOptions build() {
            if (!tcp && !udp) {
                throw new IllegalArgumentException("enable at least one of TCP and UDP");
            }
            return new ServerOptions(this);
        }

        private static int positive(String name, int n) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + n);
            }
            return n;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
