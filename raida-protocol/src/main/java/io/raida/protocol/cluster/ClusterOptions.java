package io.raida.protocol.cluster;

import io.raida.protocol.RequestHeader;
import io.raida.protocol.internal.OptionChecks;
import java.time.Duration;
import java.util.Objects;

/** Configuration of a {@link RaidaCluster}. Immutable; build with {@link #builder()}. */
public final class ClusterOptions {
    private final Duration deadline;
    private final Duration attemptTimeout;
    private final ProtocolPolicy protocol;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final int udpPayloadThreshold;
    private final StragglerPolicy stragglers;
    private final int maxBodySize;

    private ClusterOptions(Builder b) {
        deadline = b.deadline;
        attemptTimeout = b.attemptTimeout;
        protocol = b.protocol;
        maxAttempts = b.maxAttempts;
        backoff = b.backoff;
        maxBackoff = b.maxBackoff;
        udpPayloadThreshold = b.udpPayloadThreshold;
        stragglers = b.stragglers;
        maxBodySize = b.maxBodySize;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static ClusterOptions defaults() {
        return builder().build();
    }

    /**
     * Overall deadline of one fan-out (default 8 s).
     *
     * @return the deadline, positive
     */
    public Duration deadline() {
        return deadline;
    }

    /**
     * Timeout of one attempt to one RAIDA (default 2 s, the reference's socket timeout).
     *
     * @return the timeout, positive
     */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /**
     * Transport policy (default {@link ProtocolPolicy#UDP_THEN_TCP}).
     *
     * @return the policy, never {@code null}
     */
    public ProtocolPolicy protocol() {
        return protocol;
    }

    /**
     * Attempts per RAIDA including the first (default 3).
     *
     * @return the attempts, 1..10
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Back-off before the second attempt, doubled for each further one, with full jitter (default 50 ms).
     *
     * @return the first back-off, zero for none
     */
    public Duration backoff() {
        return backoff;
    }

    /**
     * Upper bound of one back-off (default 1 s).
     *
     * @return the largest back-off
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Largest request frame sent over UDP under {@link ProtocolPolicy#UDP_THEN_TCP} (default 1 440 bytes).
     *
     * @return the threshold in bytes
     */
    public int udpPayloadThreshold() {
        return udpPayloadThreshold;
    }

    /**
     * Stragglers after an early decision (default {@link StragglerPolicy#CANCEL}).
     *
     * @return the policy, never {@code null}
     */
    public StragglerPolicy stragglers() {
        return stragglers;
    }

    /**
     * Largest request body the typed operations build; larger batches are split (default 65 535).
     *
     * @return the size in bytes
     */
    public int maxBodySize() {
        return maxBodySize;
    }

    /**
     * A builder pre-filled with these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().deadline(deadline).attemptTimeout(attemptTimeout).protocol(protocol)
                .maxAttempts(maxAttempts).backoff(backoff, maxBackoff).udpPayloadThreshold(udpPayloadThreshold)
                .stragglers(stragglers).maxBodySize(maxBodySize);
    }

    @Override
    public String toString() {
        return "ClusterOptions[deadline=" + deadline.toMillis() + "ms, attempt=" + attemptTimeout.toMillis()
                + "ms, " + protocol + ", attempts=" + maxAttempts + ", backoff=" + backoff.toMillis() + ".."
                + maxBackoff.toMillis() + "ms, udpMax=" + udpPayloadThreshold + ", stragglers=" + stragglers
                + ", maxBody=" + maxBodySize + "]";
    }

    /** Builder of {@link ClusterOptions}. */
    public static final class Builder {
        private Duration deadline = Duration.ofSeconds(8);
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private ProtocolPolicy protocol = ProtocolPolicy.UDP_THEN_TCP;
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private int udpPayloadThreshold = 1_440;
        private StragglerPolicy stragglers = StragglerPolicy.CANCEL;
        private int maxBodySize = RequestHeader.MAX_BODY_SIZE;

        private Builder() {
        }

        /**
         * Overall deadline of one fan-out.
         *
         * @param d the deadline, positive
         * @return this builder
         */
        public Builder deadline(Duration d) {
            this.deadline = OptionChecks.positive("deadline", d);
            return this;
        }

        /**
         * Timeout of one attempt.
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder attemptTimeout(Duration d) {
            this.attemptTimeout = OptionChecks.positive("attemptTimeout", d);
            return this;
        }

        /**
         * Transport policy.
         *
         * @param p the policy
         * @return this builder
         */
        public Builder protocol(ProtocolPolicy p) {
            this.protocol = Objects.requireNonNull(p, "protocol");
            return this;
        }

        /**
         * Attempts per RAIDA, 1..10.
         *
         * @param n the attempts, 1..10
         * @return this builder
         */
        public Builder maxAttempts(int n) {
            if (n < 1 || n > 10) {
                throw new IllegalArgumentException("maxAttempts must be 1..10, got " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /**
         * First back-off and its upper bound (zero disables back-off).
         *
         * @param first the first back-off, zero or positive
         * @param max the largest back-off, at least {@code first}
         * @return this builder
         */
        public Builder backoff(Duration first, Duration max) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isNegative() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("back-off must be 0 <= first <= max, got " + first + ", " + max);
            }
            this.backoff = first;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Largest frame sent over UDP, 32..65507.
         *
         * @param n the threshold in bytes, 32..65507
         * @return this builder
         */
        public Builder udpPayloadThreshold(int n) {
            if (n < 32 || n > 65_507) {
                throw new IllegalArgumentException("udpPayloadThreshold must be 32..65507, got " + n);
            }
            this.udpPayloadThreshold = n;
            return this;
        }

        /**
         * Stragglers after an early decision.
         *
         * @param p the policy
         * @return this builder
         */
        public Builder stragglers(StragglerPolicy p) {
            this.stragglers = Objects.requireNonNull(p, "stragglers");
            return this;
        }

        /**
         * Largest request body for the typed operations, 55..65535.
         *
         * @param n the size in bytes, 55..65535
         * @return this builder
         */
        public Builder maxBodySize(int n) {
            if (n < 55 || n > RequestHeader.MAX_BODY_SIZE) {
                throw new IllegalArgumentException("maxBodySize must be 55..65535, got " + n);
            }
            this.maxBodySize = n;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options holding the values set so far
         */
        public ClusterOptions build() {
            return new ClusterOptions(this);
        }
    }
}
