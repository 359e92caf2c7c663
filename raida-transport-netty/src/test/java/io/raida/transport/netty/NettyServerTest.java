package io.raida.transport.netty;

import static io.raida.protocol.transport.TransportTestSupport.BIG;
import static io.raida.protocol.transport.TransportTestSupport.BLOCK;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE;
import static io.raida.protocol.transport.TransportTestSupport.await;
import static io.raida.protocol.transport.TransportTestSupport.command;
import static io.raida.protocol.transport.TransportTestSupport.echo;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.PortReservation;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the shared suite does not reach: the Netty-specific socket layout, buffers on the peer-reset
 * paths (under the PARANOID leak check of {@link LeakGuard}), half-close, the provider, bind
 * failures.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NettyServerTest {
    private final TransportTestSupport fx = TransportTestSupport.create();

    private static ServerOptions.Builder options(boolean epoll) {
        if (epoll) {
            assumeTrue(Epoll.isAvailable(), "native epoll unavailable");
        }
        return ServerOptions.builder().host("127.0.0.1").port(0).workerPools(w -> w.workerThreads(2))
                .preferNativeTransport(epoll);
    }

    private static InetSocketAddress at(RaidaServer s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port());
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void everyEventLoopGetsItsOwnUdpSocketWhereTheOsBalancesThem(boolean epoll) throws Exception {
        try (NettyRaidaServer s = NettyRaidaServer.create(fx.newCore(4_096), options(epoll).ioThreads(3).build())
                .start()) {
            assertThat(s.udpSocketCount()).isEqualTo(PortReservation.REUSE_PORT_BALANCED ? 3 : 1);
            List<DatagramSocket> senders = new ArrayList<>();
            try {
                for (int i = 0; i < 24; i++) {
                    senders.add(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
                }
                for (int round = 0; round < 3; round++) {
                    for (DatagramSocket d : senders) {
                        ClientRequest req = echo();
                        byte[] reply = TransportTestSupport.udp(d, at(s), req.frame(), 5_000);
                        assertThat(reply).isNotNull();
                        assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(250);
                    }
                }
            } finally {
                senders.forEach(DatagramSocket::close);
            }
            assertThat(s.stats().udpRequests()).isEqualTo(72);
        }
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void peersThatResetMidRequestOrWhileTheirCommandRunsLeaveNothingBehind(boolean epoll) throws Exception {
        ServerCore core = fx.newCore(4_096);
        try (NettyRaidaServer s = NettyRaidaServer.create(core, options(epoll).build()).start();
             RaidaClient client = NettyRaidaClient.create(ClientOptions.builder().preferNativeTransport(epoll)
                     .timeout(Duration.ofSeconds(10)).build())) {
            byte[] frame = command(REVERSE, randomBytes(300)).frame();
            for (int i = 0; i < 20; i++) {
                try (Socket r = new Socket()) {
                    r.connect(at(s), 5_000);
                    TransportTestSupport.writeAll(r, Arrays.copyOf(frame, 5 + i * 15));
                    r.setSoLinger(true, 0); // close with RST
                }
            }
            List<Socket> resetting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket r = new Socket();
                resetting.add(r);
                r.connect(at(s), 5_000);
                TransportTestSupport.writeAll(r, command(BLOCK, randomBytes(64)).frame());
            }
            await("both handlers running", 10_000, () -> fx.entered.availablePermits() == 2);
            assertThat(s.inFlight()).isEqualTo(2);
            for (Socket r : resetting) {
                r.setSoLinger(true, 0);
                r.close();
            }
            fx.release.countDown(); // the replies are written to reset connections
            await("requests settled", 10_000, () -> s.inFlight() == 0);
            await("connections released", 10_000, () -> core.stats().activeConnections() == 0);
            ClientRequest req = command(REVERSE, randomBytes(40));
            assertThat(client.send(at(s), req, Transport.TCP).join().status()).isEqualTo(250);
            assertThat(client.send(at(s), req, Transport.UDP).join().status()).isEqualTo(250);
        }
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void aHalfCloseAfterTheCompleteRequestStillGetsTheReply(boolean epoll) throws Exception {
        try (NettyRaidaServer s = NettyRaidaServer.create(fx.newCore(4_096), options(epoll).build()).start()) {
            for (int code : new int[] {0, REVERSE}) {
                byte[] p = randomBytes(20);
                ClientRequest req = code == 0 ? echo() : command(REVERSE, p);
                try (Socket c = new Socket()) {
                    c.connect(at(s), 5_000);
                    c.setSoTimeout(10_000);
                    TransportTestSupport.writeAll(c, req.frame());
                    c.shutdownOutput();
                    byte[] reply = TransportTestSupport.readToEof(c.getInputStream());
                    assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(250);
                    if (code == REVERSE) {
                        assertThat(ResponseParser.parse(req, reply).payload()).isEqualTo(reverse(p));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void acceptedSocketsGetTheKeepAliveOfTheSpec(boolean epoll) throws Exception {
        ServerCore core = fx.newCore(4_096);
        try (NettyRaidaServer s = NettyRaidaServer.create(core, options(epoll).build()).start();
             Socket c = new Socket()) {
            c.connect(at(s), 5_000);
            // ConnectionGate lists the child before ServerBootstrap's acceptor sets the child options
            // and registers it; this thread can look in between, so wait for the registration
            await("connection accepted and registered", 10_000, () -> s.connections().size() == 1
                    && s.connections().iterator().next().isRegistered());
            Channel ch = s.connections().iterator().next();
            assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
            if (epoll) {
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(60);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPINTVL)).isEqualTo(10);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(5);
            } else {
                assertThat(ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)))
                        .isEqualTo(60);
                assertThat(ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)))
                        .isEqualTo(10);
                assertThat(ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)))
                        .isEqualTo(5);
            }
        }
    }

    @Test
    void theProviderIsNamedNetty() throws Exception {
        RaidaTransportProvider p = RaidaTransportProvider.named("netty");
        assertThat(p).isInstanceOf(NettyTransportProvider.class);
        try (RaidaServer s = p.newServer(fx.newCore(4_096), ServerOptions.defaults()).start();
             RaidaClient c = p.newClient(ClientOptions.defaults())) {
            assertThat(s).isInstanceOf(NettyRaidaServer.class);
            assertThat(c).isInstanceOf(NettyRaidaClient.class);
            assertThat(c.send(at(s), echo(), Transport.UDP).join().status()).isEqualTo(250);
        }
    }

    @Test
    void aReplyAboveTheClientLimitFailsWithAClearError() throws Exception {
        try (NettyRaidaServer s = NettyRaidaServer.create(fx.newCore(4_096), options(true).build()).start();
             RaidaClient c = NettyRaidaClient.create(ClientOptions.builder().maxResponseSize(1_000).build())) {
            assertThatThrownBy(() -> c.send(at(s), command(BIG, TransportTestSupport.size(5_000)), Transport.TCP)
                    .join())
                    .hasCauseInstanceOf(io.raida.protocol.transport.RaidaTransportException.class)
                    .hasMessageContaining("ClientOptions.maxResponseSize").hasMessageContaining("1000");
            assertThat(c.send(at(s), command(BIG, TransportTestSupport.size(500)), Transport.TCP).join().payload())
                    .hasSize(500);
        }
    }

    @Test
    void aPortInUseFailsStartAndReleasesEverything() throws Exception {
        Set<Thread> before = TransportTestSupport.liveThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NettyRaidaServer s = NettyRaidaServer.create(fx.newCore(4_096),
                    ServerOptions.builder().port(taken.getLocalPort()).build());
            assertThatThrownBy(s::start).isInstanceOf(IOException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(s.isRunning()).isFalse();
            s.close();
        }
        await("no thread left", 10_000, () -> TransportTestSupport.newThreads(before).isEmpty());
    }

    /** A failure whose message cannot be printed because the JVM is failing: the one error the core lets escape. */
    private static final class UnprintableFailure extends RuntimeException {
        UnprintableFailure() {
            super(null, null, false, false);
        }

        @Override
        public String getMessage() {
            throw new OutOfMemoryError("simulated: a failing JVM is the one thing the core lets escape");
        }

        @Override
        public String toString() {
            throw new OutOfMemoryError("simulated: a failing JVM is the one thing the core lets escape");
        }
    }

    @Test
    void aWorkerWhoseProcessingThrowsClosesTheConnectionAndFreesTheUdpContext() throws Exception {
        ServerCore core = fx.newCore(4_096);
        int code = 220;
        core.registry().register(15, code, req -> {
            throw new UnprintableFailure();
        });
        int pool = 4;
        try (NettyRaidaServer s = NettyRaidaServer.create(core, options(false)
                .connectionLimits(c -> c.udpPoolSize(pool)).build()).start()) {
            InetSocketAddress address = s.localAddress();
            ClientRequest failing = command(code, randomBytes(4));
            // TCP: no response exists, so the connection is closed instead of staying in PROCESSING
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(10_000);
                socket.connect(address, 5_000);
                socket.getOutputStream().write(failing.frame());
                assertThat(TransportTestSupport.readToEof(socket.getInputStream())).as("no reply, just EOF").isEmpty();
            }
            await("the TCP request is counted finished", 10_000, () -> s.inFlight() == 0);
            // UDP: every context goes back to the pool, so more failures than contexts still leave room
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < 2 * pool; i++) {
                    assertThat(TransportTestSupport.udp(socket, address, failing.frame(), 200)).isNull();
                    await("the UDP request is counted finished", 10_000, () -> s.inFlight() == 0);
                }
                byte[] p = randomBytes(12);
                ClientRequest ok = command(REVERSE, p);
                byte[] reply = TransportTestSupport.udp(socket, address, ok.frame(), 10_000);
                assertThat(reply).as("a blocking command still finds a UDP context").isNotNull();
                assertThat(ResponseParser.parse(ok, reply).payload()).isEqualTo(reverse(p));
            }
        }
    }
}
