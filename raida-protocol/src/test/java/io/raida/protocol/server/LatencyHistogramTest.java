package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The power-of-two latency buckets behind {@link ServerStats#latencyQuantileMicros}, bucket by bucket. */
class LatencyHistogramTest {

    @Test
    void eachRequestLandsInTheBucketOfItsBitLengthAndTheLastBucketTakesTheRest() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(0);
        h.record(1);
        h.record(2);
        h.record(3);
        h.record(4);
        h.record(1_000);
        h.record(Long.MAX_VALUE);
        assertThat(h.bucket(0)).as("0 µs and below").isEqualTo(2);
        assertThat(h.bucket(1)).as("1 µs").isEqualTo(1);
        assertThat(h.bucket(2)).as("2..3 µs").isEqualTo(2);
        assertThat(h.bucket(3)).as("4..7 µs").isEqualTo(1);
        assertThat(h.bucket(10)).as("512..1023 µs").isEqualTo(1);
        assertThat(h.bucket(ServerStats.LATENCY_BUCKETS - 1)).as("capped").isEqualTo(1);
        long total = 0;
        for (int i = 0; i < ServerStats.LATENCY_BUCKETS; i++) {
            total += h.bucket(i);
        }
        assertThat(total).isEqualTo(8);
    }

    @Test
    void aQuantileIsTheUpperBoundOfTheBucketWhereItFalls() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.quantileMicros(0.5)).as("before the first request").isZero();
        h.record(0);
        h.record(1);
        for (int i = 0; i < 97; i++) {
            h.record(3);
        }
        h.record(1_000);
        assertThat(h.quantileMicros(0.01)).isEqualTo(1);
        assertThat(h.quantileMicros(0.02)).isEqualTo(2);
        assertThat(h.quantileMicros(0.5)).isEqualTo(4);
        assertThat(h.quantileMicros(0.99)).isEqualTo(4);
        assertThat(h.quantileMicros(1.0)).isEqualTo(1_024);
    }
}
