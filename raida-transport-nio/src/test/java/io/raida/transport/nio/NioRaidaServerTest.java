package io.raida.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** NIO-specific behaviour: binding, lifecycle misuse, single-protocol servers, the service provider. */
class NioRaidaServerTest {
    private final ServerCore core = ServerCore.builder().raidaId(3).build();

    @Test
    void ephemeralPortHoldsTcpAndUdpOnTheSamePort() throws IOException {
        try (NioRaidaServer server = NioRaidaServer.create(core).start()) {
            int port = server.port();
            assertThat(port).isPositive();
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            assertThatThrownBy(() -> new DatagramSocket(at).close()).isInstanceOf(BindException.class);
            assertThatThrownBy(() -> {
                try (ServerSocket ss = new ServerSocket()) {
                    ss.bind(at);
                }
            }).isInstanceOf(BindException.class);
        }
    }

    @Test
    void aPortInUseFailsStartWithABindExceptionAndLeavesNothingRunning() throws IOException {
        Set<Thread> before = io.raida.protocol.transport.TransportTestSupport.liveThreads();
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            NioRaidaServer server = NioRaidaServer.create(core,
                    ServerOptions.builder().port(taken.getLocalPort()).build());
            assertThatThrownBy(server::start).isInstanceOf(BindException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(server.isRunning()).isFalse();
            server.close();
        }
        assertThat(io.raida.protocol.transport.TransportTestSupport.newThreads(before)).isEmpty();
    }

    /**
     * transport.md §2.2: accepted sockets carry SO_KEEPALIVE with a 60 s idle time. Read back from the
     * kernel's socket table (/proc/net/tcp: timer 2 = keep-alive, expiry in 1/100 s), so Linux only.
     */
    @Test
    void acceptedSocketsCarryTheKeepAliveTimer() throws Exception {
        java.nio.file.Path table = java.nio.file.Path.of("/proc/net/tcp");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(table), "needs Linux /proc/net/tcp");
        try (NioRaidaServer server = NioRaidaServer.create(core, ServerOptions.builder()
                .timeouts(t -> t.readTimeout(java.time.Duration.ofSeconds(30))).build()).start();
             java.net.Socket client = new java.net.Socket(InetAddress.getLoopbackAddress(), server.port())) {
            String local = String.format(":%04X", server.port());
            String remote = String.format(":%04X", client.getLocalPort());
            String timer = null;
            // the entry can show up before the I/O thread has accepted the socket and set SO_KEEPALIVE
            for (int i = 0; i < 200 && (timer == null || !timer.startsWith("02:")); i++) {
                for (String line : java.nio.file.Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 5 && f[1].endsWith(local) && f[2].endsWith(remote) && f[3].equals("01")) {
                        timer = f[5];
                    }
                }
                if (timer == null || !timer.startsWith("02:")) {
                    Thread.sleep(10);
                }
            }
            assertThat(timer).as("server side of the connection in /proc/net/tcp").isNotNull();
            String[] t = timer.split(":");
            assertThat(t[0]).as("keep-alive timer armed").isEqualTo("02");
            long centis = Long.parseLong(t[1], 16);
            assertThat(centis).as("keep-alive idle time ~60 s").isBetween(5_000L, 6_000L);
        }
    }

    @Test
    void lifecycleMisuseIsReported() throws IOException {
        NioRaidaServer server = NioRaidaServer.create(core);
        assertThatThrownBy(server::localAddress).isInstanceOf(IllegalStateException.class);
        server.close(); // closing a server that never started is harmless
        try (NioRaidaServer started = NioRaidaServer.create(core).start()) {
            assertThatThrownBy(started::start).isInstanceOf(IllegalStateException.class);
            assertThat(started.toString()).contains("running");
        }
    }

    @Test
    void singleProtocolServers() throws IOException {
        try (NioRaidaServer tcpOnly = NioRaidaServer.create(core, ServerOptions.builder().udp(false).build()).start();
             NioRaidaServer udpOnly = NioRaidaServer.create(core, ServerOptions.builder().tcp(false).build()).start();
             NioRaidaClient client = NioRaidaClient.create()) {
            assertThat(client.send(tcpOnly.localAddress(), RequestBuilder.command(3, 0, 0).build(), Transport.TCP)
                    .join().status()).isEqualTo(250);
            assertThat(client.send(udpOnly.localAddress(), RequestBuilder.command(3, 0, 0).build(), Transport.UDP)
                    .join().status()).isEqualTo(250);
        }
    }

    @Test
    void serviceProviderIsNamedNio() throws Exception {
        RaidaTransportProvider p = RaidaTransportProvider.named("nio");
        assertThat(p).isInstanceOf(NioTransportProvider.class);
        try (RaidaServer server = p.newServer(core, ServerOptions.defaults()).start();
             RaidaClient client = p.newClient(ClientOptions.defaults())) {
            assertThat(server).isInstanceOf(NioRaidaServer.class);
            assertThat(client).isInstanceOf(NioRaidaClient.class);
            for (Transport t : Transport.values()) {
                assertThat(client.send(server.localAddress(), RequestBuilder.command(3, 0, 1).build(), t).join()
                        .payload()).hasSize(8);
            }
        }
    }

    @Test
    void severalServerIoThreadsUnderConcurrentLoad() throws Exception {
        core.registry().register(9, 1, req -> io.raida.protocol.server.CommandResult.success(req.payload()));
        try (NioRaidaServer server = NioRaidaServer.create(core, ServerOptions.builder().ioThreads(3).build()).start();
             NioRaidaClient client = NioRaidaClient.create(ClientOptions.builder()
                     .timeout(java.time.Duration.ofSeconds(30)).build())) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            for (int i = 0; i < 400; i++) {
                byte[] p = new byte[] {(byte) i, (byte) (i >> 8)};
                futures.add(client.send(server.localAddress(), RequestBuilder.command(3, 9, 1).payload(p).build(),
                        i % 3 == 0 ? Transport.UDP : Transport.TCP)
                        .thenAccept(r -> assertThat(r.payload()).isEqualTo(p)));
            }
            for (var f : futures) {
                f.join();
            }
            assertThat(server.stats().requests()).isEqualTo(400);
        }
        assertThat(core.stats().activeConnections()).isZero();
    }

    @Test
    void clientWithSeveralIoThreads() throws Exception {
        try (NioRaidaServer server = NioRaidaServer.create(core, ServerOptions.builder().ioThreads(2).build()).start();
             NioRaidaClient client = NioRaidaClient.create(ClientOptions.builder().ioThreads(3).build())) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            for (int i = 0; i < 60; i++) {
                futures.add(client.send(server.localAddress(), RequestBuilder.command(3, 0, 0).build(),
                        i % 2 == 0 ? Transport.UDP : Transport.TCP)
                        .thenAccept(r -> assertThat(r.status()).isEqualTo(250)));
            }
            for (var f : futures) {
                f.join();
            }
        }
    }

    @Test
    void closeFromItsOwnIoThreadIsRefusedInsteadOfJoiningItself() throws Exception {
        ServerCore c = ServerCore.builder().raidaId(3).build();
        AtomicReference<NioRaidaServer> self = new AtomicReference<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        // a non-blocking handler runs on the I/O thread that read the request
        c.registry().registerNonBlocking(15, 210, req -> {
            try {
                self.get().close();
            } catch (Throwable t) {
                refused.set(t);
            }
            return CommandResult.success();
        });
        try (NioRaidaServer server = NioRaidaServer.create(c).start();
             NioRaidaClient client = NioRaidaClient.create()) {
            self.set(server);
            assertThat(client.send(server.localAddress(), RequestBuilder.command(3, 15, 210).build(), Transport.TCP)
                    .get(10, TimeUnit.SECONDS).status()).isEqualTo(250);
            assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("own I/O thread");
            assertThat(server.isRunning()).isTrue();
        }
    }
}
