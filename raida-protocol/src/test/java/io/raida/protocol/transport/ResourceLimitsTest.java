package io.raida.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    @Test
    void connectionLimitLeavesHeadroomBelowTheDescriptorLimit() {
        // 1024 descriptors, 40 open: 1024 - 40 - max(64, 128)
        assertThat(ResourceLimits.maxConnectionsFor(1_024, 40)).isEqualTo(856);
        // ulimit -n 200 with 60 open: 200 - 60 - 64
        assertThat(ResourceLimits.maxConnectionsFor(200, 60)).isEqualTo(76);
        assertThat(ResourceLimits.maxConnectionsFor(100, 90)).as("never below 16").isEqualTo(16);
        assertThat(ResourceLimits.maxConnectionsFor(1L << 30, 100)).as("capped").isEqualTo(1_000_000);
        assertThat(ResourceLimits.maxConnectionsFor(-1, -1)).as("unknown platform")
                .isEqualTo(ResourceLimits.FALLBACK_MAX_CONNECTIONS);
    }

    @Test
    void defaultsFollowTheProcessLimits() {
        ServerOptions o = ServerOptions.defaults();
        long fds = ResourceLimits.maxFileDescriptors();
        if (fds > 0) {
            assertThat((long) o.connectionLimits().maxConnections()).isLessThan(fds);
        }
        assertThat(o.connectionLimits().requestMemoryBudget())
                .isEqualTo(Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(o.toBuilder().build().connectionLimits()).isEqualTo(o.connectionLimits());
        assertThat(ServerOptions.builder().connectionLimits(c -> c.requestMemoryBudget(1_000_000)).build()
                .connectionLimits().requestMemoryBudget())
                .isEqualTo(1_000_000);
        assertThatThrownBy(() -> ServerOptions.builder().connectionLimits(c -> c.requestMemoryBudget(65_534)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
    }
}
