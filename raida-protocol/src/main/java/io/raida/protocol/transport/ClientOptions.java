package io.raida.protocol.transport;

import io.raida.protocol.internal.OptionChecks;
import java.time.Duration;
import java.util.Objects;

/** Client transport configuration shared by the NIO and Netty clients. */
public final class ClientOptions {
    private final Duration timeout;
    private final Duration connectTimeout;
    private final int ioThreads;
    private final int maxResponseSize;
    private final boolean preferNativeTransport;
    private final int maxTcpConnectionsPerRaida;
    private final Duration lateReplyGrace;

    private ClientOptions(Builder b) {
        timeout = b.timeout;
        connectTimeout = b.connectTimeout;
        ioThreads = b.ioThreads;
        maxResponseSize = b.maxResponseSize;
        preferNativeTransport = b.preferNativeTransport;
        maxTcpConnectionsPerRaida = b.maxTcpConnectionsPerRaida;
        lateReplyGrace = b.lateReplyGrace;
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
     * The default options (each getter names its default).
     *
     * @return the defaults
     */
    public static ClientOptions defaults() {
        return builder().build();
    }

    /**
     * Default per-request deadline (default 3 s, the client documents' UDP timeout).
     *
     * @return the deadline of a request sent without its own timeout, positive
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * TCP connect deadline (default 5 s).
     *
     * @return the TCP connect deadline, positive
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Event-loop threads (default {@link ServerOptions#defaultIoThreads()}: the processors, capped).
     * Overlapping calls spread over them in turn; a call made after the previous one has ended
     * stays on that call's loop, so a caller that waits for each reply keeps one loop busy
     * instead of waking another on every call.
     *
     * @return the number of event-loop threads, at least 1
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Largest response accepted before the connection is failed (default 16 MiB, above the 24-bit size).
     *
     * @return the largest response in bytes, at least 32
     */
    public int maxResponseSize() {
        return maxResponseSize;
    }

    /**
     * Use a native transport (Netty epoll) when available (default true).
     *
     * @return {@code true} to use a native transport where one loads
     */
    public boolean preferNativeTransport() {
        return preferNativeTransport;
    }

    /**
     * Most TCP connections open at once to one RAIDA address (default 0: no limit). Further TCP
     * requests to it wait, within their own deadline, until one of those ends. Reference servers
     * accept one connection per readiness event (reference-defects D-28): simultaneous connects stay
     * in their backlog until yet another one arrives, so a client talking to them should use 1.
     *
     * @return the connection limit per RAIDA address, 0 for none
     */
    public int maxTcpConnectionsPerRaida() {
        return maxTcpConnectionsPerRaida;
    }

    /**
     * How long after its deadline the echo of a UDP call that timed out or was cancelled stays
     * reserved, since the server may still answer it (default 2 s). No other call to that RAIDA is
     * sent with that echo meanwhile, and a late reply to it is dropped rather than given to another call.
     *
     * @return the grace period, zero or positive
     */
    public Duration lateReplyGrace() {
        return lateReplyGrace;
    }

    /**
     * A builder holding every option of this one, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return builder().timeout(timeout).connectTimeout(connectTimeout).ioThreads(ioThreads)
                .maxResponseSize(maxResponseSize).preferNativeTransport(preferNativeTransport)
                .maxTcpConnectionsPerRaida(maxTcpConnectionsPerRaida).lateReplyGrace(lateReplyGrace);
    }

    /** Builder of {@link ClientOptions}. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(3);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int ioThreads = ServerOptions.defaultIoThreads();
        private int maxResponseSize = 48 + 0xFF_FFFF;
        private boolean preferNativeTransport = true;
        private int maxTcpConnectionsPerRaida;
        private Duration lateReplyGrace = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * The deadline of a request sent without its own timeout (default 3 s).
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder timeout(Duration d) {
            this.timeout = OptionChecks.positive("timeout", d);
            return this;
        }

        /**
         * The TCP connect deadline (default 5 s).
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = OptionChecks.positive("connectTimeout", d);
            return this;
        }

        /**
         * The event-loop threads (default {@link ServerOptions#defaultIoThreads()}).
         *
         * @param n the thread count, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder ioThreads(int n) {
            this.ioThreads = OptionChecks.positive("ioThreads", n);
            return this;
        }

        /**
         * The largest response accepted; a longer one fails the call (default 48 + 2^24 - 1 bytes).
         *
         * @param n the size in bytes, at least 32
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is below 32
         */
        public Builder maxResponseSize(int n) {
            if (n < 32) {
                throw new IllegalArgumentException("maxResponseSize must be at least 32, got " + n);
            }
            this.maxResponseSize = n;
            return this;
        }

        /**
         * Whether to use a native transport (Netty epoll) when it loads (default true).
         *
         * @param preferNative {@code false} to always use Java NIO event loops
         * @return this builder
         */
        public Builder preferNativeTransport(boolean preferNative) {
            this.preferNativeTransport = preferNative;
            return this;
        }

        /**
         * See {@link ClientOptions#maxTcpConnectionsPerRaida()}; 0 for no limit.
         *
         * @param n the limit, 0 or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder maxTcpConnectionsPerRaida(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxTcpConnectionsPerRaida must be 0 (no limit) or positive, got " + n);
            }
            this.maxTcpConnectionsPerRaida = n;
            return this;
        }

        /**
         * See {@link ClientOptions#lateReplyGrace()}; zero or positive.
         *
         * @param d the grace period, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder lateReplyGrace(Duration d) {
            Objects.requireNonNull(d, "lateReplyGrace");
            if (d.isNegative()) {
                throw new IllegalArgumentException("lateReplyGrace must not be negative, got " + d);
            }
            this.lateReplyGrace = d;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options holding the values set so far
         */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
