package io.raida.protocol.transport;

import static io.raida.protocol.internal.OptionChecks.positive;

import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How long a server waits on a peer and on itself: the TCP read and idle timeouts, the request
 * deadlines the reference lacks (D-30), and how long closing waits for requests in flight.
 * Immutable; part of {@link ServerOptions#timeouts()}.
 */
public final class Timeouts {
    private static final Timeouts DEFAULTS = builder().build();

    private final Duration readTimeout;
    private final Duration idleTimeout;
    private final Duration tcpDeadline;
    private final Duration udpDeadline;
    private final Duration shutdownTimeout;

    private Timeouts(Builder b) {
        readTimeout = b.readTimeout;
        idleTimeout = b.idleTimeout;
        tcpDeadline = b.tcpDeadline;
        udpDeadline = b.udpDeadline;
        shutdownTimeout = b.shutdownTimeout;
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
     * The defaults: read 2 s, idle 30 s, deadlines 10 s (TCP) and 3 s (UDP), shutdown 5 s.
     *
     * @return the defaults
     */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    /** These values with some changed by {@code edit} on a builder pre-filled with them. */
    Timeouts edit(Consumer<Builder> edit) {
        Builder b = toBuilder();
        edit.accept(b);
        return b.build();
    }

    /**
     * A builder pre-filled with these timeouts.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().readTimeout(readTimeout).idleTimeout(idleTimeout).tcpDeadline(tcpDeadline)
                .udpDeadline(udpDeadline).shutdownTimeout(shutdownTimeout);
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
     * How long {@code close()} waits for in-flight requests (default 5 s).
     *
     * @return the shutdown timeout, zero or positive
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeouts t && readTimeout.equals(t.readTimeout) && idleTimeout.equals(t.idleTimeout)
                && tcpDeadline.equals(t.tcpDeadline) && udpDeadline.equals(t.udpDeadline)
                && shutdownTimeout.equals(t.shutdownTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(readTimeout, idleTimeout, tcpDeadline, udpDeadline, shutdownTimeout);
    }

    @Override
    public String toString() {
        return "Timeouts[read=" + readTimeout.toMillis() + "ms, idle=" + idleTimeout.toMillis() + "ms, deadline tcp="
                + tcpDeadline.toMillis() + "ms udp=" + udpDeadline.toMillis() + "ms, shutdown=" + shutdownTimeout.toMillis()
                + "ms]";
    }

    /** Builder of {@link Timeouts}. */
    public static final class Builder {
        private Duration readTimeout = Duration.ofSeconds(2);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration tcpDeadline = Duration.ofSeconds(10);
        private Duration udpDeadline = Duration.ofSeconds(3);
        private Duration shutdownTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * See {@link Timeouts#readTimeout()}.
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder readTimeout(Duration d) {
            this.readTimeout = positive("readTimeout", d);
            return this;
        }

        /**
         * See {@link Timeouts#idleTimeout()}.
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive("idleTimeout", d);
            return this;
        }

        /**
         * See {@link Timeouts#tcpDeadline()}.
         *
         * @param d the deadline, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder tcpDeadline(Duration d) {
            this.tcpDeadline = positive("tcpDeadline", d);
            return this;
        }

        /**
         * See {@link Timeouts#udpDeadline()}.
         *
         * @param d the deadline, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder udpDeadline(Duration d) {
            this.udpDeadline = positive("udpDeadline", d);
            return this;
        }

        /**
         * See {@link Timeouts#shutdownTimeout()}.
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
         * The timeouts.
         *
         * @return new immutable timeouts holding the values set so far
         */
        public Timeouts build() {
            return new Timeouts(this);
        }
    }
}
