package io.raida.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.server.CircuitBreaker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CC2 client's breaker against a real back end that stops answering and then recovers. */
class Cc2CircuitBreakerTest {
    @TempDir
    Path dir;
    private Cc2Simulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static byte[] an(int i) {
        byte[] a = new byte[16];
        a[0] = (byte) i;
        return a;
    }

    @Test
    void opensAfterRepeatedTimeoutsFailsFastAndClosesWhenTheBackEndRecovers() throws Exception {
        sim = Cc2Simulator.start(dir.resolve("cc2.sock"));
        sim.putCoin(1, an(1));
        Cc2Client client = Cc2Client.builder().raidaId(3).socketPath(sim.socketPath())
                .readTimeout(Duration.ofMillis(200)).circuitBreaker(2, Duration.ofMillis(600)).build();
        List<Cc2Coin> coin = List.of(new Cc2Coin(1, an(1)));
        assertThat(client.detect(coin).raidaStatus().code()).isEqualTo(241);

        sim.behavior(Cc2Simulator.Behavior.STALL);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.detect(coin)).isInstanceOf(Cc2TimeoutException.class);
        }
        assertThat(client.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> client.detect(coin)).isInstanceOfSatisfying(Cc2UnavailableException.class, e -> {
                assertThat(e.raidaStatus()).isEqualTo(48);
                assertThat(e).hasMessageContaining("circuit breaker open").hasMessageContaining(dir.toString());
            });
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                .as("50 calls while open, none waits for the 200 ms timeout").isLessThan(200);
        assertThat(client.breaker().rejected()).isEqualTo(50);

        sim.behavior(Cc2Simulator.Behavior.NORMAL);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Cc2DetectResult r = null;
        while (r == null && System.nanoTime() < deadline) {
            try {
                r = client.detect(coin);
            } catch (Cc2UnavailableException stillOpen) {
                Thread.sleep(50);
            }
        }
        assertThat(r).as("the probe after the open interval reaches the recovered back end").isNotNull();
        assertThat(r.raidaStatus().code()).isEqualTo(241);
        assertThat(client.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
