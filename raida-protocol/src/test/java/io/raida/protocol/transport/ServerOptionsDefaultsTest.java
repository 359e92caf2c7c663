package io.raida.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.raida.protocol.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pins the default of every server option, so regrouping the options cannot change one. */
class ServerOptionsDefaultsTest {

    @Test
    void everyOptionKeepsItsDefault() {
        ServerOptions o = ServerOptions.defaults();
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isZero();
        assertThat(o.tcpEnabled()).isTrue();
        assertThat(o.udpEnabled()).isTrue();
        assertThat(o.ioThreads()).isEqualTo(ServerOptions.defaultIoThreads());
        assertThat(o.keepAlive()).isTrue();
        assertThat(o.preferNativeTransport()).isTrue();
        assertThat(o.timeouts().shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));

        assertThat(o.timeouts().readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.timeouts().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.timeouts().tcpDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.timeouts().udpDeadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.timeouts().deadline(Transport.TCP)).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.timeouts().deadline(Transport.UDP)).isEqualTo(Duration.ofSeconds(3));

        assertThat(o.workerPools().workerThreads()).isEqualTo(WorkerPools.defaultWorkerThreads(o.ioThreads()));
        assertThat(o.workerPools().workerQueueCapacity()).isEqualTo(4_096);
        assertThat(o.workerPools().waitingThreads()).isEqualTo(8);
        assertThat(o.workerPools().waitingQueueCapacity()).isEqualTo(1_024);

        // derived from the process's descriptors, which other tests open and close meanwhile
        assertThat(o.connectionLimits().maxConnections()).isCloseTo(ResourceLimits.defaultMaxConnections(), within(64));
        assertThat(o.connectionLimits().requestMemoryBudget()).isEqualTo(ResourceLimits.defaultRequestMemoryBudget());
        assertThat(o.connectionLimits().udpPoolSize()).isEqualTo(4_096);
        assertThat(o.connectionLimits().udpPayloadThreshold()).isEqualTo(1_440);

        assertThat(o.sourceLimits().connectionRatePerSource()).isEqualTo(200);
        assertThat(o.sourceLimits().connectionBurstPerSource()).isEqualTo(400);
        assertThat(o.sourceLimits().maxConnectionsPerSource()).isEqualTo(256);
        assertThat(o.sourceLimits().datagramRatePerSource()).isEqualTo(2_000);
        assertThat(o.sourceLimits().datagramBurstPerSource()).isEqualTo(4_000);
        assertThat(o.sourceLimits().sourceLimiterSlots()).isEqualTo(16_384);
        assertThat(o.sourceLimits().limitLoopbackSources()).isFalse();
    }

    @Test
    void workerThreadsFollowTheIoThreadsUnlessSet() {
        assertThat(ServerOptions.builder().ioThreads(1).build().workerPools().workerThreads()).isEqualTo(8);
        assertThat(ServerOptions.builder().ioThreads(6).build().workerPools().workerThreads()).isEqualTo(12);
        assertThat(ServerOptions.builder().ioThreads(6).workerPools(w -> w.workerThreads(3)).build().workerPools()
                .workerThreads()).isEqualTo(3);
        ServerOptions built = ServerOptions.builder().ioThreads(6).build();
        assertThat(built.toBuilder().build().workerPools().workerThreads()).isEqualTo(12);
    }

    @Test
    void toBuilderKeepsEveryOption() {
        ServerOptions o = ServerOptions.builder().host("localhost").port(4000).udp(false).ioThreads(3).keepAlive(false)
                .preferNativeTransport(false)
                .timeouts(t -> t.readTimeout(Duration.ofMillis(11)).idleTimeout(Duration.ofMillis(13))
                        .tcpDeadline(Duration.ofMillis(23)).udpDeadline(Duration.ofMillis(29))
                        .shutdownTimeout(Duration.ZERO))
                .workerPools(w -> w.workerThreads(5).workerQueueCapacity(7).waitingThreads(31).waitingQueueCapacity(37))
                .connectionLimits(c -> c.maxConnections(17).requestMemoryBudget(70_000).udpPoolSize(19)
                        .udpPayloadThreshold(500))
                .sourceLimits(s -> s.connectionRatePerSource(41, 43).maxConnectionsPerSource(47)
                        .datagramRatePerSource(53, 59).sourceLimiterSlots(61).limitLoopbackSources(true))
                .build();
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
        assertThat(o.toString()).isEqualTo("ServerOptions[localhost:4000 tcp, io=3, keepAlive=false, native=false, "
                + "Timeouts[read=11ms, idle=13ms, deadline tcp=23ms udp=29ms, shutdown=0ms], "
                + "WorkerPools[workers=5, queue=7, waiting=31/37], "
                + "ConnectionLimits[maxConn=17, memory=70000, udpPool=19, udpMax=500], "
                + "SourceLimits[tcp=41/s+43 open=47, udp=53/s+59, slots=61, loopback limited]]");
    }
}
