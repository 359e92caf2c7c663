package io.raida.protocol.transport;

import static io.raida.protocol.internal.OptionChecks.positive;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What all peers together may hold of a server: open TCP connections, buffered request bytes and
 * pooled UDP contexts, and the largest datagram read. Immutable; part of
 * {@link ServerOptions#connectionLimits()}. The first two defaults are derived from the process
 * ({@link ResourceLimits}) when a builder is created.
 */
public final class ConnectionLimits {
    private final int maxConnections;
    private final long requestMemoryBudget;
    private final int udpPoolSize;
    private final int udpPayloadThreshold;

    private ConnectionLimits(Builder b) {
        maxConnections = b.maxConnections;
        requestMemoryBudget = b.requestMemoryBudget;
        udpPoolSize = b.udpPoolSize;
        udpPayloadThreshold = b.udpPayloadThreshold;
    }

    /**
     * A builder holding the defaults, derived from the process now, to change some of them.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults, derived from the process now.
     *
     * @return the defaults
     */
    public static ConnectionLimits defaults() {
        return builder().build();
    }

    /** These values with some changed by {@code edit} on a builder pre-filled with them. */
    ConnectionLimits edit(Consumer<Builder> edit) {
        Builder b = toBuilder();
        edit.accept(b);
        return b.build();
    }

    /**
     * A builder pre-filled with these limits.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().maxConnections(maxConnections).requestMemoryBudget(requestMemoryBudget)
                .udpPoolSize(udpPoolSize).udpPayloadThreshold(udpPayloadThreshold);
    }

    /**
     * Open TCP connections allowed; further ones are accepted and closed at once and counted as
     * {@code rejectedConnections}. Default {@link ResourceLimits#defaultMaxConnections()}: the
     * process's descriptor limit minus the descriptors open when the builder is created minus a
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionLimits c && maxConnections == c.maxConnections
                && requestMemoryBudget == c.requestMemoryBudget && udpPoolSize == c.udpPoolSize
                && udpPayloadThreshold == c.udpPayloadThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConnections, requestMemoryBudget, udpPoolSize, udpPayloadThreshold);
    }

    @Override
    public String toString() {
        return "ConnectionLimits[maxConn=" + maxConnections + ", memory=" + requestMemoryBudget + ", udpPool="
                + udpPoolSize + ", udpMax=" + udpPayloadThreshold + "]";
    }

    /** Builder of {@link ConnectionLimits}. */
    public static final class Builder {
        private int maxConnections = ResourceLimits.defaultMaxConnections();
        private long requestMemoryBudget = ResourceLimits.defaultRequestMemoryBudget();
        private int udpPoolSize = 4_096;
        private int udpPayloadThreshold = 1_440;

        private Builder() {
        }

        /**
         * See {@link ConnectionLimits#maxConnections()}.
         *
         * @param n the connection limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder maxConnections(int n) {
            this.maxConnections = positive("maxConnections", n);
            return this;
        }

        /**
         * See {@link ConnectionLimits#requestMemoryBudget()}; at least 65 535 bytes (one largest body).
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
         * See {@link ConnectionLimits#udpPoolSize()}.
         *
         * @param n the pool size, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is not positive
         */
        public Builder udpPoolSize(int n) {
            this.udpPoolSize = positive("udpPoolSize", n);
            return this;
        }

        /**
         * See {@link ConnectionLimits#udpPayloadThreshold()}.
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
         * The limits.
         *
         * @return new immutable limits holding the values set so far
         */
        public ConnectionLimits build() {
            return new ConnectionLimits(this);
        }
    }
}
