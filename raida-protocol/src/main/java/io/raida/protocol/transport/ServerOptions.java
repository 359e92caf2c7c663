package io.raida.protocol.transport;

import io.raida.protocol.internal.OptionChecks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Transport configuration shared by every server transport, so an embedder switches between NIO and
 * Netty by changing one line. Immutable; build with {@link #builder()}. The endpoint and I/O options
 * are set here, the rest in four groups: {@link Timeouts}, {@link WorkerPools}, {@link ConnectionLimits},
 * {@link SourceLimits}. Defaults follow the reference configuration (transport.md §4).
 */
public final class ServerOptions {
    /** Cap of {@link #defaultIoThreads()}. */
    public static final int MAX_DEFAULT_IO_THREADS = 16;

    private final String host;
    private final int port;
    private final boolean tcp;
    private final boolean udp;
    private final int ioThreads;
    private final boolean keepAlive;
    private final boolean preferNativeTransport;
    private final Timeouts timeouts;
    private final WorkerPools workerPools;
    private final ConnectionLimits connectionLimits;
    private final SourceLimits sourceLimits;

    private ServerOptions(Builder b) {
        host = b.host;
        port = b.port;
        tcp = b.tcp;
        udp = b.udp;
        ioThreads = b.ioThreads;
        keepAlive = b.keepAlive;
        preferNativeTransport = b.preferNativeTransport;
        timeouts = b.timeouts;
        workerPools = b.workerPools.resolve(b.ioThreads);
        connectionLimits = b.connectionLimits;
        sourceLimits = b.sourceLimits;
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
     * The I/O threads a server uses unless told otherwise: one per processor, at most {@value #MAX_DEFAULT_IO_THREADS}
     * (beyond that one port's sockets rarely gain; set {@link Builder#ioThreads(int)} on bigger machines).
     *
     * @return the default I/O thread count, 1..{@value #MAX_DEFAULT_IO_THREADS}
     */
    public static int defaultIoThreads() {
        return Math.max(1, Math.min(MAX_DEFAULT_IO_THREADS, Runtime.getRuntime().availableProcessors()));
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
        return new Builder().host(host).port(port).tcp(tcp).udp(udp).ioThreads(ioThreads).keepAlive(keepAlive)
                .preferNativeTransport(preferNativeTransport).timeouts(timeouts).workerPools(workerPools)
                .connectionLimits(connectionLimits).sourceLimits(sourceLimits);
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
     * The address every server transport binds, resolved once by the same rule (issue 21): an
     * unresolvable host is an {@link UnknownHostException} naming it, and a wildcard address with UDP
     * enabled is refused, since a UDP reply must leave from the address its request came to.
     *
     * @return the address to bind
     * @throws UnknownHostException     if {@link #host()} does not resolve
     * @throws IllegalArgumentException for a wildcard host with UDP enabled
     */
    public InetAddress bindAddress() throws UnknownHostException {
        return BindAddress.resolve(host, udp);
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
     * I/O (event-loop) threads: each runs its own loop and, where the OS allows it ({@code SO_REUSEPORT}),
     * its own UDP socket and TCP listener on the port. Default {@link #defaultIoThreads()}.
     *
     * @return the I/O thread count, at least 1
     */
    public int ioThreads() {
        return ioThreads;
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
     * Read and idle timeouts, request deadlines and the shutdown timeout.
     *
     * @return the timeouts
     */
    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * Worker threads and waiting bulkheads; the worker count follows {@link #ioThreads()} unless set.
     *
     * @return the worker pools
     */
    public WorkerPools workerPools() {
        return workerPools;
    }

    /**
     * Limits on what all peers together hold: connections, request memory, UDP contexts.
     *
     * @return the connection limits
     */
    public ConnectionLimits connectionLimits() {
        return connectionLimits;
    }

    /**
     * Limits on what one source may ask: connection and datagram rates, open connections.
     *
     * @return the per-source limits
     */
    public SourceLimits sourceLimits() {
        return sourceLimits;
    }

    @Override
    public String toString() {
        return "ServerOptions[" + host + ":" + port + (tcp ? " tcp" : "") + (udp ? " udp" : "") + ", io=" + ioThreads
                + ", keepAlive=" + keepAlive + ", native=" + preferNativeTransport + ", " + timeouts + ", " + workerPools
                + ", " + connectionLimits + ", " + sourceLimits + "]";
    }

    /** Builder of {@link ServerOptions}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean tcp = true;
        private boolean udp = true;
        private int ioThreads = defaultIoThreads();
        private boolean keepAlive = true;
        private boolean preferNativeTransport = true;
        private Timeouts timeouts = Timeouts.defaults();
        private WorkerPools workerPools = WorkerPools.defaults();
        private ConnectionLimits connectionLimits = ConnectionLimits.defaults();
        private SourceLimits sourceLimits = SourceLimits.defaults();

        private Builder() {
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
            this.ioThreads = OptionChecks.positive("ioThreads", n);
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
         * Sets {@link ServerOptions#timeouts()}.
         *
         * @param timeouts the timeouts, not {@code null}
         * @return this builder
         */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Edits the timeouts set so far: {@code timeouts(b -> b.readTimeout(Duration.ofSeconds(5)))}.
         *
         * @param edit sets options on a builder pre-filled with the timeouts set so far
         * @return this builder
         */
        public Builder timeouts(Consumer<Timeouts.Builder> edit) {
            return timeouts(timeouts.edit(edit));
        }

        /**
         * Sets {@link ServerOptions#workerPools()}.
         *
         * @param workerPools the worker pools, not {@code null}
         * @return this builder
         */
        public Builder workerPools(WorkerPools workerPools) {
            this.workerPools = Objects.requireNonNull(workerPools, "workerPools");
            return this;
        }

        /**
         * Edits the worker pools set so far: {@code workerPools(b -> b.workerThreads(4))}.
         *
         * @param edit sets options on a builder pre-filled with the worker pools set so far
         * @return this builder
         */
        public Builder workerPools(Consumer<WorkerPools.Builder> edit) {
            return workerPools(workerPools.edit(edit));
        }

        /**
         * Sets {@link ServerOptions#connectionLimits()}.
         *
         * @param connectionLimits the connection limits, not {@code null}
         * @return this builder
         */
        public Builder connectionLimits(ConnectionLimits connectionLimits) {
            this.connectionLimits = Objects.requireNonNull(connectionLimits, "connectionLimits");
            return this;
        }

        /**
         * Edits the connection limits set so far: {@code connectionLimits(b -> b.maxConnections(1_000))}.
         *
         * @param edit sets options on a builder pre-filled with the connection limits set so far
         * @return this builder
         */
        public Builder connectionLimits(Consumer<ConnectionLimits.Builder> edit) {
            return connectionLimits(connectionLimits.edit(edit));
        }

        /**
         * Sets {@link ServerOptions#sourceLimits()}.
         *
         * @param sourceLimits the per-source limits, not {@code null}
         * @return this builder
         */
        public Builder sourceLimits(SourceLimits sourceLimits) {
            this.sourceLimits = Objects.requireNonNull(sourceLimits, "sourceLimits");
            return this;
        }

        /**
         * Edits the per-source limits set so far: {@code sourceLimits(b -> b.maxConnectionsPerSource(64))}.
         *
         * @param edit sets options on a builder pre-filled with the per-source limits set so far
         * @return this builder
         */
        public Builder sourceLimits(Consumer<SourceLimits.Builder> edit) {
            return sourceLimits(sourceLimits.edit(edit));
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
    }
}
