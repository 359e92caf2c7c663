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
        assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));

        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.tcpDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.udpDeadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.deadline(Transport.TCP)).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.deadline(Transport.UDP)).isEqualTo(Duration.ofSeconds(3));

        assertThat(o.workerThreads()).isEqualTo(ServerOptions.defaultWorkerThreads(o.ioThreads()));
        assertThat(o.workerQueueCapacity()).isEqualTo(4_096);
        assertThat(o.waitingThreads()).isEqualTo(8);
        assertThat(o.waitingQueueCapacity()).isEqualTo(1_024);

        // derived from the process's descriptors, which other tests open and close meanwhile
        assertThat(o.maxConnections()).isCloseTo(ResourceLimits.defaultMaxConnections(), within(64));
        assertThat(o.requestMemoryBudget()).isEqualTo(ResourceLimits.defaultRequestMemoryBudget());
        assertThat(o.udpPoolSize()).isEqualTo(4_096);
        assertThat(o.udpPayloadThreshold()).isEqualTo(1_440);

        assertThat(o.connectionRatePerSource()).isEqualTo(200);
        assertThat(o.connectionBurstPerSource()).isEqualTo(400);
        assertThat(o.maxConnectionsPerSource()).isEqualTo(256);
        assertThat(o.datagramRatePerSource()).isEqualTo(2_000);
        assertThat(o.datagramBurstPerSource()).isEqualTo(4_000);
        assertThat(o.sourceLimiterSlots()).isEqualTo(16_384);
        assertThat(o.limitLoopbackSources()).isFalse();
    }

    @Test
    void workerThreadsFollowTheIoThreadsUnlessSet() {
        assertThat(ServerOptions.builder().ioThreads(1).build().workerThreads()).isEqualTo(8);
        assertThat(ServerOptions.builder().ioThreads(6).build().workerThreads()).isEqualTo(12);
        assertThat(ServerOptions.builder().ioThreads(6).workerThreads(3).build().workerThreads()).isEqualTo(3);
        ServerOptions built = ServerOptions.builder().ioThreads(6).build();
        assertThat(built.toBuilder().build().workerThreads()).isEqualTo(12);
    }

    @Test
    void toBuilderKeepsEveryOption() {
        ServerOptions o = ServerOptions.builder().host("localhost").port(4000).udp(false).ioThreads(3)
                .workerThreads(5).workerQueueCapacity(7).readTimeout(Duration.ofMillis(11))
                .idleTimeout(Duration.ofMillis(13)).maxConnections(17).requestMemoryBudget(70_000).udpPoolSize(19)
                .udpPayloadThreshold(500).shutdownTimeout(Duration.ZERO).keepAlive(false)
                .preferNativeTransport(false).tcpDeadline(Duration.ofMillis(23)).udpDeadline(Duration.ofMillis(29))
                .waitingThreads(31).waitingQueueCapacity(37).connectionRatePerSource(41, 43)
                .maxConnectionsPerSource(47).datagramRatePerSource(53, 59).sourceLimiterSlots(61)
                .limitLoopbackSources(true).build();
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
        assertThat(o.toString()).contains("localhost:4000", "io=3", "workers=5", "queue=7", "read=11ms",
                "idle=13ms", "maxConn=17", "udpPool=19", "udpMax=500", "tcp=23ms", "udp=29ms", "31/37",
                "41/s+43", "open=47", "53/s+59", "slots=61", "loopback");
    }
}
