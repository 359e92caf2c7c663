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

    private ClientOptions(Builder b) {
        timeout = b.timeout;
        connectTimeout = b.connectTimeout;
        ioThreads = b.ioThreads;
        maxResponseSize = b.maxResponseSize;
        preferNativeTransport = b.preferNativeTransport;
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

    /** Builder of {@link ClientOptions}. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(3);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int ioThreads = ServerOptions.defaultIoThreads();
        private int maxResponseSize = 48 + 0xFF_FFFF;
        private boolean preferNativeTransport = true;

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

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
