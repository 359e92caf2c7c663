package io.raida.protocol.cluster;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before a retry at one RAIDA: exponential with full jitter, so that 25 RAIDA times many
 * clients do not retry in step after a shared hiccup.
 */
final class Backoff {
    private Backoff() {
    }

    /**
     * Full jitter: uniform in [0, min(max, first × 2^(n−1))].
     *
     * @param first         the first backoff ({@link ClusterOptions#backoff()}); zero means none
     * @param max           the cap ({@link ClusterOptions#maxBackoff()})
     * @param attemptsSoFar n, at least 1
     * @return nanoseconds to wait
     */
    static long nanos(Duration first, Duration max, int attemptsSoFar) {
        long f = first.toNanos();
        if (f == 0) {
            return 0;
        }
        long cap = Math.min(max.toNanos(), f << Math.min(20, attemptsSoFar - 1));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }
}
