package io.raida.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The four option groups: values, validation with today's messages, and how ServerOptions sets them. */
class OptionGroupsTest {

    @Test
    void aGroupEditKeepsWhatItDoesNotNameAndEditsCompose() {
        ServerOptions o = ServerOptions.builder()
                .timeouts(t -> t.readTimeout(Duration.ofMillis(700)))
                .timeouts(t -> t.udpDeadline(Duration.ofSeconds(1)))
                .build();
        assertThat(o.timeouts().readTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(o.timeouts().udpDeadline()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.timeouts().deadline(Transport.UDP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.timeouts().idleTimeout()).isEqualTo(Timeouts.defaults().idleTimeout());
        assertThat(o.timeouts().deadline(Transport.TCP)).isEqualTo(Timeouts.defaults().tcpDeadline());
    }

    @Test
    void aGroupValueReplacesTheWholeGroup() {
        Timeouts t = Timeouts.builder().idleTimeout(Duration.ofSeconds(9)).build();
        ServerOptions o = ServerOptions.builder().timeouts(x -> x.readTimeout(Duration.ofMillis(700))).timeouts(t).build();
        assertThat(o.timeouts()).isSameAs(t);
        assertThat(o.timeouts().readTimeout()).isEqualTo(Timeouts.defaults().readTimeout());
        assertThatThrownBy(() -> ServerOptions.builder().timeouts((Timeouts) null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeouts");
    }

    @Test
    void theWorkerCountFollowsTheIoThreadsUntilSet() {
        assertThat(WorkerPools.defaults().workerThreads()).isZero();
        assertThat(WorkerPools.defaults().toString()).contains("workers=auto");
        assertThat(WorkerPools.defaultWorkerThreads(1)).isEqualTo(8);
        assertThat(WorkerPools.defaultWorkerThreads(10)).isEqualTo(20);
        WorkerPools pools = WorkerPools.builder().workerQueueCapacity(9).build();
        ServerOptions o = ServerOptions.builder().ioThreads(7).workerPools(pools).build();
        assertThat(o.workerPools().workerThreads()).isEqualTo(14);
        assertThat(o.workerPools().workerQueueCapacity()).isEqualTo(9);
        assertThat(o.toBuilder().ioThreads(12).build().workerPools().workerThreads())
                .as("a built ServerOptions holds the resolved count, as before the groups").isEqualTo(14);
        assertThat(pools.toBuilder().build()).isEqualTo(pools).hasSameHashCodeAs(pools);
    }

    @Test
    void connectionLimitsDeriveTheirDefaultsFromTheProcess() {
        ConnectionLimits c = ConnectionLimits.defaults();
        assertThat(c.requestMemoryBudget()).isEqualTo(ResourceLimits.defaultRequestMemoryBudget());
        assertThat(c.maxConnections()).isPositive();
        assertThat(c.udpPoolSize()).isEqualTo(4_096);
        assertThat(c.udpPayloadThreshold()).isEqualTo(1_440);
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c.toBuilder().udpPoolSize(5).build()).isNotEqualTo(c);
        assertThat(c.toString()).startsWith("ConnectionLimits[maxConn=" + c.maxConnections());
    }

    @Test
    void groupsAreValuesWithReadableToString() {
        assertThat(Timeouts.defaults()).isEqualTo(Timeouts.builder().build())
                .hasSameHashCodeAs(Timeouts.builder().build());
        assertThat(Timeouts.defaults().toString())
                .isEqualTo("Timeouts[read=2000ms, idle=30000ms, deadline tcp=10000ms udp=3000ms, shutdown=5000ms]");
        assertThat(SourceLimits.defaults()).isEqualTo(SourceLimits.builder().build());
        assertThat(SourceLimits.defaults().toString())
                .isEqualTo("SourceLimits[tcp=200/s+400 open=256, udp=2000/s+4000, slots=16384, loopback exempt]");
        assertThat(SourceLimits.defaults().toBuilder().limitLoopbackSources(true).build())
                .isNotEqualTo(SourceLimits.defaults());
        assertThat(WorkerPools.builder().workerThreads(3).build().toString())
                .isEqualTo("WorkerPools[workers=3, queue=4096, waiting=8/1024]");
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> Timeouts.builder().readTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> Timeouts.builder().udpDeadline(Duration.ofMillis(-1)))
                .hasMessageStartingWith("udpDeadline must be positive");
        assertThatThrownBy(() -> Timeouts.builder().shutdownTimeout(Duration.ofMillis(-1)))
                .hasMessage("shutdownTimeout must not be negative");
        assertThat(Timeouts.builder().shutdownTimeout(Duration.ZERO).build().shutdownTimeout()).isZero();
        assertThatThrownBy(() -> Timeouts.builder().idleTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("idleTimeout");
        assertThatThrownBy(() -> WorkerPools.builder().workerThreads(0))
                .hasMessage("workerThreads must be positive, got 0");
        assertThatThrownBy(() -> WorkerPools.builder().waitingQueueCapacity(-3))
                .hasMessage("waitingQueueCapacity must be positive, got -3");
        assertThatThrownBy(() -> ConnectionLimits.builder().maxConnections(0))
                .hasMessage("maxConnections must be positive, got 0");
        assertThatThrownBy(() -> ConnectionLimits.builder().udpPayloadThreshold(47))
                .hasMessage("udpPayloadThreshold must be 48..65507, got 47");
        assertThatThrownBy(() -> ConnectionLimits.builder().udpPayloadThreshold(65_508))
                .hasMessage("udpPayloadThreshold must be 48..65507, got 65508");
        assertThatThrownBy(() -> SourceLimits.builder().connectionRatePerSource(5, 0))
                .hasMessage("connectionRatePerSource: the burst must be 1..1000000000, got 0");
        assertThatThrownBy(() -> ServerOptions.builder().ioThreads(0))
                .hasMessage("ioThreads must be positive, got 0");
        assertThatThrownBy(() -> ServerOptions.builder().tcp(false).udp(false).build())
                .hasMessage("enable at least one of TCP and UDP");
        assertThatThrownBy(() -> ServerOptions.builder().port(65_536))
                .hasMessage("port must be 0..65535, got 65536");
    }
}
