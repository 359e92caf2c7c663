package io.raida.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.Transport;
import io.raida.protocol.metrics.RaidaJmx;
import io.raida.protocol.metrics.RaidaMeterBinder;
import io.raida.protocol.metrics.ServerStatsMXBean;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/**
 * The request counters of a running NIO server (real loopback sockets) read as an operator would:
 * through the platform MBean server, and through a Micrometer registry. Both must show the numbers
 * the server's {@link ServerStats} shows.
 */
class ServerMetricsTest {
    private static final int RAIDA = 3;

    @Test
    void jmxAndMicrometerSeeTheRequestCountersOfARunningServer() throws Exception {
        ServerCore core = ServerCore.builder().raidaId(RAIDA).build();
        try (RaidaServer server = RaidaTransportProvider.named("nio").newServer(core, ServerOptions.defaults()).start();
             RaidaJmx.Registration jmx = RaidaJmx.register(server, "metrics-test-" + server.port());
             RaidaClient client = RaidaTransportProvider.named("nio").newClient(ClientOptions.defaults())) {
            for (int i = 0; i < 3; i++) {
                assertThat(send(client, server, RequestBuilder.command(RAIDA, 0, 0), Transport.UDP)).isEqualTo(250);
            }
            for (int i = 0; i < 2; i++) {
                assertThat(send(client, server, RequestBuilder.command(RAIDA, 0, 0), Transport.TCP)).isEqualTo(250);
            }
            // a command group nobody registered: answered, but with an error status
            int unknownGroup = send(client, server, RequestBuilder.command(RAIDA, 200, 0), Transport.UDP);
            assertThat(unknownGroup).as("ERROR_INVALID_COMMAND_GROUP").isEqualTo(5);

            ServerStats stats = server.stats();
            awaitRequests(stats, 6);
            assertThat(stats.udpRequests()).isEqualTo(4);
            assertThat(stats.tcpRequests()).isEqualTo(2);
            assertThat(stats.errors()).isEqualTo(1);

            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = jmx.objectName();
            assertThat(name.getDomain()).isEqualTo("io.raida");
            assertThat(mbeans.isRegistered(name)).isTrue();
            assertThat(mbeans.getAttribute(name, "UdpRequests")).isEqualTo(4L);
            assertThat(mbeans.getAttribute(name, "TcpRequests")).isEqualTo(2L);
            assertThat(mbeans.getAttribute(name, "Requests")).isEqualTo(6L);
            assertThat(mbeans.getAttribute(name, "Errors")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "Drops")).isEqualTo(stats.drops());
            assertThat((Long) mbeans.getAttribute(name, "LatencyP99Micros")).isPositive();
            // open types only: a JMX client without raida classes reads the status map as TabularData
            TabularData byStatus = (TabularData) mbeans.getAttribute(name, "ResponsesByStatus");
            long success = 0;
            for (Object row : byStatus.values()) {
                CompositeData entry = (CompositeData) row;
                if ("STATUS_SUCCESS".equals(entry.get("key"))) {
                    success = (Long) entry.get("value");
                }
            }
            assertThat(success).isEqualTo(5);

            ServerStatsMXBean proxy = JMX.newMXBeanProxy(mbeans, name, ServerStatsMXBean.class);
            assertThat(proxy.getRequests()).isEqualTo(stats.requests());
            Map<String, Long> statuses = proxy.getResponsesByStatus();
            assertThat(statuses).containsEntry("STATUS_SUCCESS", 5L);
            assertThat(statuses.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6);

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RaidaMeterBinder(server, Tags.of("raida", String.valueOf(RAIDA))).bindTo(registry);
            assertThat(registry.get("raida.server.requests").tags("transport", "udp", "raida", "3")
                    .functionCounter().count()).isEqualTo(4.0);
            assertThat(registry.get("raida.server.requests").tag("transport", "tcp").functionCounter().count())
                    .isEqualTo(2.0);
            assertThat(registry.get("raida.server.errors").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("raida.server.drops").functionCounter().count()).isEqualTo(stats.drops());
            assertThat(registry.get("raida.server.latency").tag("quantile", "0.99").timeGauge()
                    .value(TimeUnit.MICROSECONDS)).isEqualTo(stats.latencyQuantileMicros(0.99));

            // the meters read live counters: one more request shows in JMX and Micrometer alike
            assertThat(send(client, server, RequestBuilder.command(RAIDA, 0, 0), Transport.TCP)).isEqualTo(250);
            awaitRequests(stats, 7);
            assertThat(mbeans.getAttribute(name, "TcpRequests")).isEqualTo(3L);
            assertThat(registry.get("raida.server.requests").tag("transport", "tcp").functionCounter().count())
                    .isEqualTo(3.0);
        }
    }

    @Test
    void jmxAndMicrometerSeeWhatThePerSourceLimitsRefused() throws Exception {
        ServerCore core = ServerCore.builder().raidaId(RAIDA).build();
        ServerOptions options = ServerOptions.builder().sourceLimits(s -> s.limitLoopbackSources(true)
                .connectionRatePerSource(1, 1)
                .datagramRatePerSource(1, 1)).build();
        try (RaidaServer server = RaidaTransportProvider.named("nio").newServer(core, options).start();
             RaidaJmx.Registration jmx = RaidaJmx.register(server, "metrics-limits-test-" + server.port());
             java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                    server.port());
            // an unregistered command costs a lookup and an error reply: charged; 1/s with a burst of 1
            byte[] frame = RequestBuilder.command(RAIDA, 200, 0).build().frame();
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                udp.send(new java.net.DatagramPacket(frame, frame.length, to));
            }
            for (int i = 0; i < 5; i++) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(to, 5_000);
                }
            }
            // the burst of 1, plus what 1/s refilled while the datagrams and connections went out
            int refilled = (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            ServerStats stats = server.stats();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // every datagram is either answered (its status counted last) or refused; a refused connection
            // is counted at accept
            while (System.nanoTime() < end && (stats.errors() + stats.rateLimitedDatagrams() < 5
                    || stats.rateLimitedConnections() < Math.max(1, 4 - refilled))) {
                Thread.sleep(20);
            }
            assertThat(stats.udpRequests() + stats.rateLimitedDatagrams()).as("datagrams answered + refused")
                    .isEqualTo(5);
            assertThat(stats.rateLimitedDatagrams()).isBetween((long) Math.max(1, 4 - refilled), 4L);
            assertThat(stats.rateLimitedConnections()).isBetween((long) Math.max(1, 4 - refilled), 4L);
            assertThat(stats.errors()).as("each answered datagram: ERROR_INVALID_COMMAND_GROUP")
                    .isEqualTo(stats.udpRequests());
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = jmx.objectName();
            assertThat(mbeans.getAttribute(name, "RateLimitedDatagrams")).isEqualTo(stats.rateLimitedDatagrams());
            assertThat(mbeans.getAttribute(name, "RateLimitedConnections")).isEqualTo(stats.rateLimitedConnections());
            assertThat(mbeans.getAttribute(name, "SourceLimitedConnections")).isEqualTo(0L);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RaidaMeterBinder(server, Tags.of("raida", String.valueOf(RAIDA))).bindTo(registry);
            assertThat(registry.get("raida.server.source.refused").tag("kind", "datagram-rate").functionCounter()
                    .count()).isEqualTo((double) stats.rateLimitedDatagrams());
            assertThat(registry.get("raida.server.source.refused").tag("kind", "connection-rate").functionCounter()
                    .count()).isEqualTo((double) stats.rateLimitedConnections());
            assertThat(registry.get("raida.server.source.refused").tag("kind", "open-connections").functionCounter()
                    .count()).isZero();
        }
    }

    @Test
    void aNameIsRegisteredOnceAndCloseUnregistersIt() {
        ServerStats stats = ServerCore.builder().raidaId(RAIDA).build().stats();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        RaidaJmx.Registration first = RaidaJmx.register(stats, "metrics-test-dup");
        try {
            assertThatThrownBy(() -> RaidaJmx.register(ServerCore.builder().build().stats(), "metrics-test-dup"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
        } finally {
            first.close();
        }
        assertThat(mbeans.isRegistered(first.objectName())).isFalse();
        first.close(); // a second close is a no-op
        assertThatThrownBy(() -> RaidaJmx.register(stats, "")).isInstanceOf(IllegalArgumentException.class);
    }

    private static int send(RaidaClient client, RaidaServer server, RequestBuilder request, Transport protocol) {
        return client.send(server.localAddress(), request.build(), protocol).join().status();
    }

    /** The core counts a request once its reply is written; the client may see the reply first. */
    /** Waits until {@code expected} requests are counted with their status (the core records the status last). */
    private static void awaitRequests(ServerStats stats, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (countedWithStatus(stats) < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stats.requests()).isEqualTo(expected);
        assertThat(countedWithStatus(stats)).isEqualTo(expected);
    }

    private static long countedWithStatus(ServerStats stats) {
        long n = 0;
        for (int status = 0; status < 256; status++) {
            n += stats.requestsWithStatus(status);
        }
        return n;
    }
}
