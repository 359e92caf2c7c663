package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.server.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> changes = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker("backend", 3, Duration.ofSeconds(5), 1,
            (name, from, to) -> changes.add(name + ":" + from + "->" + to), now::get);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure();
        }
    }

    @Test
    void opensAfterTheConfiguredConsecutiveFailuresAndFailsFastWhileOpen() {
        fail(2);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(); // a success in between resets the count
        fail(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        fail(1);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(changes).containsExactly("backend:CLOSED->OPEN");
        for (int i = 0; i < 100; i++) {
            assertThat(breaker.tryAcquire()).isFalse();
        }
        assertThat(breaker.rejected()).isEqualTo(100);
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(breaker.millisUntilProbe()).isEqualTo(1000);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void probesAfterTheIntervalThenClosesOnSuccess() {
        fail(3);
        now.addAndGet(Duration.ofSeconds(5).toNanos() + 1);
        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("only one probe at a time").isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(changes).containsExactly("backend:CLOSED->OPEN", "backend:OPEN->HALF_OPEN",
                "backend:HALF_OPEN->CLOSED");
    }

    @Test
    void aFailedProbeOpensAgainForAFullInterval() {
        fail(3);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.timesOpened()).isEqualTo(2);
        assertThat(breaker.millisUntilProbe()).isEqualTo(5000);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new CircuitBreaker("x", 0, Duration.ofSeconds(1), 1, (n, f, t) -> { }))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new CircuitBreaker("x", 1, Duration.ZERO, 1, (n, f, t) -> { }))
                .hasMessageContaining("positive");
    }
}
