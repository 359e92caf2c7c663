package io.raida.protocol.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latency histogram of {@link ServerStats}: power-of-two microsecond buckets, bucket i counting
 * latencies below 2^i µs (the last one is open-ended). Lock-free, cheap enough for every request.
 */
final class LatencyHistogram {
    private final AtomicLongArray latency = new AtomicLongArray(ServerStats.LATENCY_BUCKETS);

    /** Counts one request that took {@code micros}. */
    void record(long micros) {
        int bucket = micros <= 0 ? 0
                : Math.min(ServerStats.LATENCY_BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros));
        latency.incrementAndGet(bucket);
    }

    /** Count in bucket {@code i}. */
    long bucket(int i) {
        return latency.get(i);
    }

    /** Upper bound in µs below which {@code quantile} (0..1) of requests fell; 0 before the first request. */
    long quantileMicros(double quantile) {
        int buckets = ServerStats.LATENCY_BUCKETS;
        long total = 0;
        for (int i = 0; i < buckets; i++) {
            total += latency.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long target = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < buckets; i++) {
            seen += latency.get(i);
            if (seen >= target) {
                return 1L << i;
            }
        }
        return 1L << (buckets - 1);
    }
}
