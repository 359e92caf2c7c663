package io.raida.transport.netty;

import static io.raida.protocol.transport.TransportTestSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Futures complete on the client's event loop, so closing the client from a callback must work as
 * it does on NIO: it cannot wait there, but it must still fail what is pending and end every thread
 * and socket, instead of leaving a half-closed client behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyClientCloseTest {
    private final TransportTestSupport fx = TransportTestSupport.create();

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void closingTheClientFromItsOwnCallbackReleasesEverything(boolean epoll) throws Exception {
        if (epoll) {
            assumeTrue(Epoll.isAvailable(), "native epoll unavailable");
        }
        try (NettyRaidaServer s = NettyRaidaServer.create(fx.newCore(4_096), ServerOptions.builder().host("127.0.0.1")
                .port(0).workerPools(w -> w.workerThreads(2)).preferNativeTransport(epoll).build()).start()) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port());
            Set<Thread> before = TransportTestSupport.liveThreads();
            NettyRaidaClient c = NettyRaidaClient.create(ClientOptions.builder().preferNativeTransport(epoll).build());
            // a UDP request nobody answers (another port) is still pending when the client closes
            InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            CompletableFuture<RaidaResponse> pending = c.send(nowhere, echo(), Transport.UDP, Duration.ofSeconds(30));
            CompletableFuture<RaidaResponse> first = c.send(at, echo(), Transport.UDP);
            CompletableFuture<Void> closedInCallback = first.thenAccept(r -> c.close());
            closedInCallback.get(10, TimeUnit.SECONDS); // close() on the event loop must not throw
            assertThat(first.join().status()).isEqualTo(250);
            assertThat(pending).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                    .withCauseInstanceOf(RaidaTransportException.class);
            assertThat(c.send(at, echo(), Transport.TCP)).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(Exception.class).withCauseInstanceOf(RaidaTransportException.class);
            // the client's own event-loop threads (Netty's global executor ends by itself, later)
            TransportTestSupport.await("client threads ended", 10_000, () -> clientThreads(before).isEmpty());
            List<Thread> left = clientThreads(before);
            assertThat(left).as("threads left: %s", TransportTestSupport.names(left)).isEmpty();
        }
    }

    private static List<Thread> clientThreads(Set<Thread> before) {
        List<Thread> l = TransportTestSupport.newThreads(before);
        l.removeIf(t -> !t.getName().startsWith("raida-netty-client"));
        return l;
    }
}
