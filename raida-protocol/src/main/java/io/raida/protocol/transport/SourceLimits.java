package io.raida.protocol.transport;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What one source (an IPv4 address or an IPv6 /64) may ask of a server: new TCP connections per
 * second, open TCP connections, and UDP requests that cost work per second, each in fixed memory
 * whatever the number of sources. Immutable; part of {@link ServerOptions#sourceLimits()}.
 */
public final class SourceLimits {
    /** Fewest sources a rate table tracks ({@link Builder#sourceLimiterSlots}). */
    public static final int MIN_LIMITER_SLOTS = 2;
    /** Most sources a rate table tracks ({@link Builder#sourceLimiterSlots}). */
    public static final int MAX_LIMITER_SLOTS = 1 << 24;
    private static final SourceLimits DEFAULTS = builder().build();

    private final int connectionRatePerSource;
    private final int connectionBurstPerSource;
    private final int maxConnectionsPerSource;
    private final int datagramRatePerSource;
    private final int datagramBurstPerSource;
    private final int sourceLimiterSlots;
    private final boolean limitLoopbackSources;

    private SourceLimits(Builder b) {
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
     * The defaults: 200 connections/s (burst 400), 256 open, 2 000 datagrams/s (burst 4 000),
     * 16 384 slots, loopback exempt.
     *
     * @return the defaults
     */
    public static SourceLimits defaults() {
        return DEFAULTS;
    }

    /** These values with some changed by {@code edit} on a builder pre-filled with them. */
    SourceLimits edit(Consumer<Builder> edit) {
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
        return new Builder().connectionRatePerSource(connectionRatePerSource, connectionBurstPerSource)
                .maxConnectionsPerSource(maxConnectionsPerSource)
                .datagramRatePerSource(datagramRatePerSource, datagramBurstPerSource)
                .sourceLimiterSlots(sourceLimiterSlots).limitLoopbackSources(limitLoopbackSources);
    }

    /**
     * New TCP connections per second one source may open on average (default 200; 0: no limit).
     * A connection over the rate is closed at once, before it is read, and counted as
     * {@code rateLimitedConnections}.
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
     * connections are open, so its memory is bounded by {@link ConnectionLimits#maxConnections()}.
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
    public boolean equals(Object o) {
        return o instanceof SourceLimits s && connectionRatePerSource == s.connectionRatePerSource
                && connectionBurstPerSource == s.connectionBurstPerSource
                && maxConnectionsPerSource == s.maxConnectionsPerSource
                && datagramRatePerSource == s.datagramRatePerSource
                && datagramBurstPerSource == s.datagramBurstPerSource && sourceLimiterSlots == s.sourceLimiterSlots
                && limitLoopbackSources == s.limitLoopbackSources;
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionRatePerSource, connectionBurstPerSource, maxConnectionsPerSource,
                datagramRatePerSource, datagramBurstPerSource, sourceLimiterSlots, limitLoopbackSources);
    }

    @Override
    public String toString() {
        return "SourceLimits[tcp=" + connectionRatePerSource + "/s+" + connectionBurstPerSource + " open="
                + maxConnectionsPerSource + ", udp=" + datagramRatePerSource + "/s+" + datagramBurstPerSource
                + ", slots=" + sourceLimiterSlots + ", loopback " + (limitLoopbackSources ? "limited" : "exempt")
                + "]";
    }

    /** Builder of {@link SourceLimits}. */
    public static final class Builder {
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
         * See {@link SourceLimits#connectionRatePerSource()} and
         * {@link SourceLimits#connectionBurstPerSource()}.
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
         * See {@link SourceLimits#maxConnectionsPerSource()}.
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
         * See {@link SourceLimits#datagramRatePerSource()} and {@link SourceLimits#datagramBurstPerSource()}.
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
         * See {@link SourceLimits#sourceLimiterSlots()}.
         *
         * @param slots sources each rate limiter tracks, 2..16 777 216
         * @return this builder
         * @throws IllegalArgumentException for a value out of range
         */
        public Builder sourceLimiterSlots(int slots) {
            if (slots < MIN_LIMITER_SLOTS || slots > MAX_LIMITER_SLOTS) {
                throw new IllegalArgumentException("sourceLimiterSlots must be " + MIN_LIMITER_SLOTS + ".."
                        + MAX_LIMITER_SLOTS + ", got " + slots);
            }
            this.sourceLimiterSlots = slots;
            return this;
        }

        /**
         * See {@link SourceLimits#limitLoopbackSources()}.
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
         * The limits.
         *
         * @return new immutable limits holding the values set so far
         */
        public SourceLimits build() {
            return new SourceLimits(this);
        }
    }
}
