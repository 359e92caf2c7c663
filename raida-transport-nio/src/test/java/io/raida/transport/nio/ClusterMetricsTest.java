package io.raida.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.ClusterStats;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.cluster.RaidaOutcome;
import io.raida.protocol.metrics.ClusterStatsMXBean;
import io.raida.protocol.metrics.RaidaJmx;
import io.raida.protocol.metrics.RaidaMeterBinder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.testing.DeadPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outcome counters of a running {@link RaidaCluster} against 22 NIO servers on real loopback
 * sockets and 3 ports where nothing listens, read as an operator would: through the platform MBean
 * server and through a Micrometer registry. Both must show what {@link ClusterStats} and the replies
 * themselves show.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterMetricsTest {
    private static final int LIVE = 22;
    private static final RaidaTransportProvider NIO = RaidaTransportProvider.named("nio");

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T r) {
        resources.push(r);
        return r;
    }

    @Test
    void jmxAndMicrometerSeeTheOutcomeCountersOfARunningCluster() throws Exception {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            if (i < LIVE) {
                ServerOptions options = ServerOptions.builder().host("127.0.0.1").port(0)
                        .workerPools(w -> w.workerThreads(1))
                        .timeouts(t -> t.shutdownTimeout(Duration.ofSeconds(2))).build();
                RaidaServer server = track(NIO.newServer(ServerCore.builder().raidaId(i).build(), options));
                server.start();
                endpoints.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            } else {
                endpoints.add(track(DeadPort.open()).address());
            }
        }
        // frames above 64 bytes go over TCP at once: one fan-out on each transport
        ClusterOptions options = ClusterOptions.builder().attemptTimeout(Duration.ofMillis(1_500))
                .deadline(Duration.ofSeconds(20)).maxAttempts(1).udpPayloadThreshold(64).build();
        RaidaCluster cluster = track(RaidaCluster.builder(RaidaNetwork.of(endpoints))
                .transport(NIO, ClientOptions.builder().timeout(Duration.ofSeconds(10)).build())
                .options(options).build());
        RaidaJmx.Registration jmx = track(RaidaJmx.register(cluster, "cluster-metrics-test"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RaidaMeterBinder(cluster, Tags.of("cluster", "test")).bindTo(registry);
        ClusterStats stats = cluster.stats();
        assertThat(stats).isSameAs(cluster.stats());
        assertThat(stats.fanOuts()).isZero();

        ClusterReply udp = cluster.echo().get(60, TimeUnit.SECONDS);
        ClusterReply tcp = cluster.call(id -> RequestBuilder.command(id, 0, 0).payload(new byte[100]).build())
                .get(60, TimeUnit.SECONDS);
        List<RaidaOutcome> all = new ArrayList<>(udp.settled().get(30, TimeUnit.SECONDS));
        all.addAll(tcp.settled().get(30, TimeUnit.SECONDS));
        assertThat(udp.replied()).isEqualTo(LIVE);
        assertThat(tcp.replied()).isEqualTo(LIVE);
        // the counters are updated when a fan-out settles, which its caller may see first
        await(stats::attempts, all.stream().mapToLong(RaidaOutcome::attempts).sum());

        assertThat(stats.fanOuts()).isEqualTo(2);
        assertThat(stats.fanOutsCompleted()).isEqualTo(2);
        assertThat(stats.fanOutsDecidedEarly()).isZero();
        assertThat(stats.fanOutsFailed()).isZero();
        assertThat(stats.replies()).isEqualTo(2L * LIVE);
        assertThat(stats.repliesOverUdp()).isEqualTo(LIVE);
        assertThat(stats.repliesOverTcp()).isEqualTo(LIVE);
        long sum = 0;
        for (RaidaOutcome.Kind kind : RaidaOutcome.Kind.values()) {
            assertThat(stats.outcomes(kind)).as(kind.name())
                    .isEqualTo(all.stream().filter(o -> o.kind() == kind).count());
            sum += stats.outcomes(kind);
        }
        assertThat(sum).isEqualTo(2L * RaidaNetwork.SIZE);
        assertThat(stats.outcomes(RaidaOutcome.Kind.STATUS)).isEqualTo(2L * LIVE);
        assertThat(stats.outcomes(RaidaOutcome.Kind.REFUSED) + stats.outcomes(RaidaOutcome.Kind.TIMEOUT))
                .as("the dead ports, once per fan-out").isEqualTo(2L * (RaidaNetwork.SIZE - LIVE));
        assertThat(stats.outcomes(RaidaOutcome.Kind.PENDING)).isZero();
        assertThat(stats.calibrationRequests()).isZero();
        assertThat(stats.inFlight()).isZero();
        for (RaidaOutcome o : all) {
            if (o.replied()) {
                assertThat(o.transport()).isIn(Transport.UDP, Transport.TCP);
            }
        }

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = jmx.objectName();
        assertThat(name).isEqualTo(RaidaJmx.clusterObjectName("cluster-metrics-test"));
        assertThat(name.getKeyProperty("type")).isEqualTo("ClusterStats");
        assertThat(mbeans.getAttribute(name, "FanOuts")).isEqualTo(2L);
        assertThat(mbeans.getAttribute(name, "FanOutsCompleted")).isEqualTo(2L);
        assertThat(mbeans.getAttribute(name, "Replies")).isEqualTo(2L * LIVE);
        assertThat(mbeans.getAttribute(name, "RepliesOverTcp")).isEqualTo((long) LIVE);
        assertThat(mbeans.getAttribute(name, "RepliesOverUdp")).isEqualTo((long) LIVE);
        assertThat(mbeans.getAttribute(name, "Attempts")).isEqualTo(stats.attempts());
        assertThat(mbeans.getAttribute(name, "Timeouts")).isEqualTo(stats.outcomes(RaidaOutcome.Kind.TIMEOUT));
        assertThat(mbeans.getAttribute(name, "Refused")).isEqualTo(stats.outcomes(RaidaOutcome.Kind.REFUSED));
        assertThat(mbeans.getAttribute(name, "Errors")).isEqualTo(stats.outcomes(RaidaOutcome.Kind.ERROR));
        ClusterStatsMXBean proxy = JMX.newMXBeanProxy(mbeans, name, ClusterStatsMXBean.class);
        Map<String, Long> byKind = proxy.getOutcomesByKind();
        for (RaidaOutcome.Kind kind : RaidaOutcome.Kind.values()) {
            assertThat(byKind).containsEntry(kind.name(), stats.outcomes(kind));
        }

        assertThat(registry.get("raida.cluster.fanouts").tags("result", "started", "cluster", "test")
                .functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("raida.cluster.fanouts").tag("result", "completed").functionCounter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("raida.cluster.replies").tag("transport", "tcp").functionCounter().count())
                .isEqualTo(LIVE);
        assertThat(registry.get("raida.cluster.replies").tag("transport", "udp").functionCounter().count())
                .isEqualTo(LIVE);
        assertThat(registry.get("raida.cluster.outcomes").tag("kind", "status").functionCounter().count())
                .isEqualTo(2.0 * LIVE);
        assertThat(registry.get("raida.cluster.outcomes").tag("kind", "timeout").functionCounter().count())
                .isEqualTo(stats.outcomes(RaidaOutcome.Kind.TIMEOUT));
        assertThat(registry.get("raida.cluster.attempts").functionCounter().count()).isEqualTo(stats.attempts());
        assertThat(registry.get("raida.cluster.inflight").gauge().value()).isZero();

        // live counters: one more fan-out shows in JMX and Micrometer alike
        cluster.echo().get(60, TimeUnit.SECONDS).settled().get(30, TimeUnit.SECONDS);
        await(stats::replies, 3L * LIVE);
        assertThat(proxy.getFanOuts()).isEqualTo(3);
        assertThat(proxy.getRepliesOverUdp()).isEqualTo(2L * LIVE);
        assertThat(registry.get("raida.cluster.replies").tag("transport", "udp").functionCounter().count())
                .isEqualTo(2.0 * LIVE);
    }

    @Test
    void aFanOutOfAClosedClusterIsNotCountedAndNamesAreRegisteredOnce() throws Exception {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            endpoints.add(track(DeadPort.open()).address());
        }
        RaidaCluster cluster = RaidaCluster.builder(RaidaNetwork.of(endpoints)).transport(NIO).build();
        cluster.close();
        assertThat(cluster.echo()).isCompletedExceptionally();
        assertThat(cluster.stats().fanOuts()).isZero();

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        RaidaJmx.Registration first = RaidaJmx.register(cluster, "cluster-metrics-dup");
        try {
            assertThatThrownBy(() -> RaidaJmx.register(cluster.stats(), "cluster-metrics-dup"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
            // a server and a cluster may share a name: they are different MBean types
            try (RaidaJmx.Registration server = RaidaJmx.register(ServerCore.builder().build().stats(),
                    "cluster-metrics-dup")) {
                assertThat(server.objectName()).isNotEqualTo(first.objectName());
            }
        } finally {
            first.close();
        }
        assertThat(mbeans.isRegistered(first.objectName())).isFalse();
        assertThatThrownBy(() -> RaidaJmx.clusterObjectName("")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }
}
