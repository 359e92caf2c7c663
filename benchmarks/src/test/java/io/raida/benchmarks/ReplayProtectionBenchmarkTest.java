package io.raida.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The replay benchmark measures fresh requests, and a ring the cache still remembers is refused. */
class ReplayProtectionBenchmarkTest {

    @Test
    void aRingLargerThanTheCacheIsAnsweredSuccessOnEveryPass() {
        ReplayProtectionBenchmark b = new ReplayProtectionBenchmark();
        b.replay = "on";
        b.command = "version";
        b.ring = 524_288;
        b.setup(); // two whole passes, each reply checked for 250
        try {
            assertThat(b.udp()[2] & 0xFF).isEqualTo(250);
            assertThat(b.tcp()[2] & 0xFF).isEqualTo(250);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void aRingTheCacheRemembersWouldMeasureReplaysAndIsRefused() {
        ReplayProtectionBenchmark b = new ReplayProtectionBenchmark();
        b.replay = "on";
        b.command = "echo";
        b.ring = 1_000;
        assertThatThrownBy(b::setup).isInstanceOf(IllegalStateException.class).hasMessageContaining("177");
        b.tearDown();
    }
}
