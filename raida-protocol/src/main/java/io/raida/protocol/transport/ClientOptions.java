package io.raida.protocol.transport;

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

    public static Builder builder() {
        return new Builder();
    }

    public static ClientOptions defaults() {
        return builder().build();
    }

    /** Default per-request deadline (default 3 s, the client documents' UDP timeout). */
    public Duration timeout() {
        return timeout;
    }

    /** TCP connect deadline (default 5 s). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Event-loop threads (default {@link ServerOptions#defaultIoThreads()}: the processors, capped). */
    public int ioThreads() {
        return ioThreads;
    }

    /** Largest response accepted before the connection is failed (default 16 MiB, above the 24-bit size). */
    public int maxResponseSize() {
        return maxResponseSize;
    }

    /** Use a native transport (Netty epoll) when available (default true). */
    public boolean preferNativeTransport() {
        return preferNativeTransport;
    }

    /**
     * Most TCP connections open at once to one RAIDA address (default 0: no limit). Further TCP
     * requests to it wait, within their own deadline, until one of those ends. Reference servers
     * accept one connection per readiness event (reference-defects D-28): simultaneous connects stay
     * in their backlog until yet another one arrives, so a client talking to them should use 1.
     */
    public int maxTcpConnectionsPerRaida() {
        return maxTcpConnectionsPerRaida;
    }

    /**
     * How long after its deadline the echo of a UDP call that timed out or was cancelled stays
     * reserved, since the server may still answer it (default 2 s). No other call to that RAIDA is
     * sent with that echo meanwhile, and a late reply to it is dropped rather than given to another call.
     */
    public Duration lateReplyGrace() {
        return lateReplyGrace;
    }

    /** A builder holding every option of this one, to change some of them. */
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

        public Builder timeout(Duration d) {
            this.timeout = Objects.requireNonNull(d, "timeout");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
            return this;
        }

        public Builder ioThreads(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("ioThreads must be positive, got " + n);
            }
            this.ioThreads = n;
            return this;
        }

        public Builder maxResponseSize(int n) {
            if (n < 32) {
                throw new IllegalArgumentException("maxResponseSize must be at least 32, got " + n);
            }
            this.maxResponseSize = n;
            return this;
        }

        public Builder preferNativeTransport(boolean preferNative) {
            this.preferNativeTransport = preferNative;
            return this;
        }

        /** See {@link ClientOptions#maxTcpConnectionsPerRaida()}; 0 for no limit. */
        public Builder maxTcpConnectionsPerRaida(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxTcpConnectionsPerRaida must be 0 (no limit) or positive, got " + n);
            }
            this.maxTcpConnectionsPerRaida = n;
            return this;
        }

        /** See {@link ClientOptions#lateReplyGrace()}; zero or positive. */
        public Builder lateReplyGrace(Duration d) {
            Objects.requireNonNull(d, "lateReplyGrace");
            if (d.isNegative()) {
                throw new IllegalArgumentException("lateReplyGrace must not be negative, got " + d);
            }
            this.lateReplyGrace = d;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
