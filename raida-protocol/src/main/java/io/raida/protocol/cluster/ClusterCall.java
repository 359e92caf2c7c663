package io.raida.protocol.cluster;

import io.raida.protocol.client.RaidaResponse;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * One fan-out: how to build each RAIDA's request, when the result is decided, which replies make
 * sense, who hears about each outcome, and (for type 1 requests) the key coin used to learn each
 * RAIDA's keystream mode. Build with {@link #builder(ClusterRequests)}.
 *
 * @param requests    builds RAIDA <i>i</i>'s request
 * @param decision    early-completion rule
 * @param replyCheck  whether a reply's payload makes sense (RAIDA id, response); a reply it rejects
 *                    counts as broken encryption, is retried, and makes a type 1/2 RAIDA relearn its keystream
 * @param listener    called once per RAIDA outcome as it arrives, on a transport or timer thread: must not block
 * @param calibration key coin for keystream calibration, or {@code null} when the requests are not type 1
 */
public record ClusterCall(ClusterRequests requests, DecisionRule decision,
                          BiPredicate<Integer, RaidaResponse> replyCheck, Consumer<RaidaOutcome> listener,
                          KeyCoin calibration) {

    /**
     * Checks for nulls.
     *
     * @param requests builds RAIDA <i>i</i>'s request
     * @param decision early-completion rule
     * @param replyCheck whether a reply's payload makes sense (RAIDA id, response); a reply it rejects counts as
     *       broken encryption, is retried, and makes a type 1/2 RAIDA relearn its keystream
     * @param listener called once per RAIDA outcome as it arrives, on a transport or timer thread: must not block
     * @param calibration key coin for keystream calibration, or {@code null} when the requests are not type 1
     */
    public ClusterCall {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(replyCheck, "replyCheck");
        Objects.requireNonNull(listener, "listener");
    }

    /**
     * A builder: wait for all, accept every reply, no listener, no calibration.
     *
     * @param requests builds each RAIDA's request, once per attempt
     * @return a new builder
     */
    public static Builder builder(ClusterRequests requests) {
        return new Builder(requests);
    }

    /** Builder of {@link ClusterCall}. */
    public static final class Builder {
        private final ClusterRequests requests;
        private DecisionRule decision = DecisionRule.allOutcomes();
        private BiPredicate<Integer, RaidaResponse> replyCheck = (id, r) -> true;
        private Consumer<RaidaOutcome> listener = o -> { };
        private KeyCoin calibration;

        private Builder(ClusterRequests requests) {
            this.requests = Objects.requireNonNull(requests, "requests");
        }

        /**
         * Early-completion rule.
         *
         * @param rule the rule, not {@code null}
         * @return this builder
         */
        public Builder decision(DecisionRule rule) {
            this.decision = Objects.requireNonNull(rule, "decision");
            return this;
        }

        /**
         * Plausibility check of replies.
         *
         * @param check the check, not {@code null}
         * @return this builder
         */
        public Builder replyCheck(BiPredicate<Integer, RaidaResponse> check) {
            this.replyCheck = Objects.requireNonNull(check, "replyCheck");
            return this;
        }

        /**
         * Per-outcome listener.
         *
         * @param l the listener, not {@code null}
         * @return this builder
         */
        public Builder listener(Consumer<RaidaOutcome> l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Learn each RAIDA's keystream mode with this type 1 key coin before its first request (auth.md §4).
         *
         * @param key the type 1 key coin
         * @return this builder
         */
        public Builder calibrateWith(KeyCoin key) {
            this.calibration = key;
            return this;
        }

        /**
         * The call.
         *
         * @return the call, to pass to {@link RaidaCluster#call(ClusterCall)}
         */
        public ClusterCall build() {
            return new ClusterCall(requests, decision, replyCheck, listener, calibration);
        }
    }
}
