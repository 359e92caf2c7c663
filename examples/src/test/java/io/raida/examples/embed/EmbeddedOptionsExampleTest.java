package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.Timeouts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's options snippet sets what it says and leaves every other option at its default. */
class EmbeddedOptionsExampleTest {

    @Test
    void eachEditKeepsTheValuesItDoesNotName() {
        ServerOptions o = EmbeddedOptionsExample.options();
        ServerOptions d = ServerOptions.defaults();
        assertThat(o.timeouts()).isEqualTo(Timeouts.builder().readTimeout(Duration.ofSeconds(5))
                .tcpDeadline(Duration.ofSeconds(20)).build());
        assertThat(o.workerPools().workerThreads()).isEqualTo(32);
        assertThat(o.workerPools().waitingThreads()).isEqualTo(16);
        assertThat(o.workerPools().workerQueueCapacity()).isEqualTo(d.workerPools().workerQueueCapacity());
        assertThat(o.workerPools().waitingQueueCapacity()).isEqualTo(d.workerPools().waitingQueueCapacity());
        assertThat(o.connectionLimits().maxConnections()).isEqualTo(20_000);
        assertThat(o.connectionLimits().requestMemoryBudget()).isEqualTo(d.connectionLimits().requestMemoryBudget());
        assertThat(o.sourceLimits()).isEqualTo(d.sourceLimits().toBuilder().maxConnectionsPerSource(64)
                .datagramRatePerSource(500, 1_000).build());
    }
}
