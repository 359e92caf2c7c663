package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-source limits at the core seam, without sockets: {@link ServerDispatcher#admitConnection}
 * and {@link ServerDispatcher#releaseConnection} as the transports call them on accept and close, and
 * the UDP admission inside {@link DatagramReceiver}. Real clock, so counts allow for the tokens a
 * slow machine refills meanwhile.
 */
class SourceLimitsTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final byte[] AN1 = V.coin(0, 1).an();

    private final ServerCore core = ReferenceServer.builder(V).build();
    private ServerDispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.shutdown(Duration.ofSeconds(5));
        }
    }

    private ServerDispatcher start(ServerOptions.Builder options) {
        dispatcher = ServerDispatcher.start(core, options.build(), "source-limits-test");
        return dispatcher;
    }

    private static ServerOptions.Builder allOff() {
        return ServerOptions.builder().sourceLimits(s -> s.connectionRatePerSource(0, 0).maxConnectionsPerSource(0)
                .datagramRatePerSource(0, 0));
    }

    private static InetSocketAddress from(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 40_000);
    }

    private static long secondsSince(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + 1;
    }

    @Test
    void aSourceOverItsConnectionRateIsRefusedAndCountedWhileAnotherIsAdmitted() throws Exception {
        ServerDispatcher d = start(allOff().sourceLimits(s -> s.connectionRatePerSource(1, 5)));
        InetSocketAddress noisy = from("192.0.2.7");
        long t0 = System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            if (d.admitConnection(noisy)) {
                admitted++;
                d.releaseConnection(noisy);
            }
        }
        assertThat(admitted).as("the burst of 5 and what 1/s refilled meanwhile")
                .isBetween(5, 5 + (int) secondsSince(t0));
        assertThat(core.stats().rateLimitedConnections()).isEqualTo(1_000 - admitted);
        assertThat(d.admitConnection(from("192.0.2.8"))).as("another source has its own bucket").isTrue();
        assertThat(core.stats().sourceLimitedConnections()).isZero();
        assertThat(core.stats().rejectedConnections()).as("not the global connection limit").isZero();
    }

    @Test
    void openConnectionsPerSourceAreLimitedAndReleasedOnClose() throws Exception {
        ServerDispatcher d = start(allOff().sourceLimits(s -> s.maxConnectionsPerSource(3)));
        InetSocketAddress a = from("192.0.2.7");
        for (int i = 0; i < 3; i++) {
            assertThat(d.admitConnection(a)).isTrue();
        }
        assertThat(d.admitConnection(a)).as("a fourth open connection").isFalse();
        assertThat(d.admitConnection(new InetSocketAddress(a.getAddress(), 1))).as("from any port").isFalse();
        assertThat(d.admitConnection(from("192.0.2.8"))).as("another source").isTrue();
        assertThat(core.stats().sourceLimitedConnections()).isEqualTo(2);
        assertThat(d.sourceLimits().trackedSources()).isEqualTo(2);
        d.releaseConnection(a);
        assertThat(d.admitConnection(a)).as("one closed, one more may open").isTrue();
        for (int i = 0; i < 3; i++) {
            d.releaseConnection(a);
        }
        d.releaseConnection(from("192.0.2.8"));
        assertThat(d.sourceLimits().trackedSources()).as("no entry outlives its source's last connection").isZero();
        d.releaseConnection(a); // one release too many (a transport bug) cannot make room for more
        for (int i = 0; i < 3; i++) {
            assertThat(d.admitConnection(a)).isTrue();
        }
        assertThat(d.admitConnection(a)).isFalse();
    }

    @Test
    void ipv6SourcesAreLimitedPerSlash64() throws Exception {
        ServerDispatcher d = start(allOff().sourceLimits(s -> s.maxConnectionsPerSource(2)));
        assertThat(d.admitConnection(from("2001:db8:1:2::1"))).isTrue();
        assertThat(d.admitConnection(from("2001:db8:1:2:ffff::9"))).isTrue();
        assertThat(d.admitConnection(from("2001:db8:1:2::77"))).as("a third address of the same /64").isFalse();
        assertThat(d.admitConnection(from("2001:db8:1:3::1"))).as("the next /64").isTrue();
    }

    @Test
    void loopbackIsExemptUnlessAskedAndEachLimitTurnsOff() throws Exception {
        ServerDispatcher d = start(ServerOptions.builder().sourceLimits(s -> s.connectionRatePerSource(1, 1)
                .maxConnectionsPerSource(1)));
        for (int i = 0; i < 100; i++) {
            assertThat(d.admitConnection(from("127.0.0.2"))).as("loopback is exempt by default").isTrue();
        }
        assertThat(d.admitConnection(null)).as("a transport without addresses").isTrue();
        d.shutdown(Duration.ofSeconds(5));
        ServerDispatcher limited = start(ServerOptions.builder().sourceLimits(s -> s.limitLoopbackSources(true)
                .connectionRatePerSource(1_000, 1_000).maxConnectionsPerSource(1)));
        assertThat(limited.admitConnection(from("127.0.0.2"))).isTrue();
        assertThat(limited.admitConnection(from("127.0.0.2"))).as("limited when asked").isFalse();
        limited.shutdown(Duration.ofSeconds(5));
        ServerDispatcher off = start(allOff());
        for (int i = 0; i < 1_000; i++) {
            assertThat(off.admitConnection(from("192.0.2.7"))).isTrue();
        }
        assertThat(off.sourceLimits().trackedSources()).as("nothing tracked when off").isZero();
    }

    @Test
    void optionsAreValidatedWithDefaultsThatAreOn() {
        ServerOptions o = ServerOptions.defaults();
        // every value is pinned by ServerOptionsDefaultsTest; here: each limit is on by default
        assertThat(o.sourceLimits().connectionRatePerSource()).isPositive();
        assertThat(o.sourceLimits().maxConnectionsPerSource()).isPositive();
        assertThat(o.sourceLimits().datagramRatePerSource()).isPositive();
        ServerOptions copy = o.toBuilder().sourceLimits(s -> s.datagramRatePerSource(5, 7).limitLoopbackSources(true))
                .build();
        assertThat(copy.toBuilder().build().sourceLimits().datagramBurstPerSource()).isEqualTo(7);
        assertThat(copy.toBuilder().build().sourceLimits().limitLoopbackSources()).isTrue();
        assertThatThrownBy(() -> ServerOptions.builder().sourceLimits(s -> s.connectionRatePerSource(-1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionRatePerSource");
        assertThatThrownBy(() -> ServerOptions.builder().sourceLimits(s -> s.datagramRatePerSource(10, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
        assertThatThrownBy(() -> ServerOptions.builder().sourceLimits(s -> s.datagramRatePerSource(2_000_000, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000000");
        assertThatThrownBy(() -> ServerOptions.builder().sourceLimits(s -> s.maxConnectionsPerSource(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectionsPerSource");
        assertThatThrownBy(() -> ServerOptions.builder().sourceLimits(s -> s.sourceLimiterSlots(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceLimiterSlots");
    }

    /** Replies the receiver sends, in order. */
    private static final class Sink implements ReplySink {
        final List<byte[]> replies = new CopyOnWriteArrayList<>();

        @Override
        public void send(ServerExchange exchange, byte[] reply) {
            replies.add(reply);
        }

        @Override
        public void close(ServerExchange exchange) {
        }

        @Override
        public boolean isOpen(ServerExchange exchange) {
            return true;
        }
    }

    @Test
    void datagramsThatCostWorkAreDroppedWithoutAReplyOverTheRateAndEchoStaysFree() throws Exception {
        ServerDispatcher d = start(allOff().sourceLimits(s -> s.datagramRatePerSource(1, 5)));
        Sink sink = new Sink();
        DatagramReceiver receiver = d.newDatagramReceiver(sink);
        InetSocketAddress noisy = from("192.0.2.7");
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            // version (0/1) encrypted with a coin: a key lookup and a decryption, answered on the I/O thread
            ClientRequest req = RequestBuilder.command(0, 0, 1).authenticateWithCoin(0, 1, AN1).build();
            receiver.receive(ByteBuffer.wrap(req.frame()), noisy, false);
        }
        int answered = sink.replies.size();
        assertThat(answered).as("the burst of 5 and what 1/s refilled meanwhile")
                .isBetween(5, 5 + (int) secondsSince(t0));
        assertThat(core.stats().rateLimitedDatagrams()).isEqualTo(200 - answered);
        assertThat(core.stats().udpRequests()).as("refused ones never reached the decoder").isEqualTo(answered);

        for (int i = 0; i < 50; i++) {
            ClientRequest echo = RequestBuilder.command(0, 0, 0).build();
            receiver.receive(ByteBuffer.wrap(echo.frame()), noisy, false);
            byte[] reply = sink.replies.get(sink.replies.size() - 1);
            assertThat(ResponseParser.parse(echo, reply).status()).as("a type-0 echo costs no work: free")
                    .isEqualTo(250);
        }
        assertThat(sink.replies).as("one reply per echo").hasSize(answered + 50);
        assertThat(core.stats().rateLimitedDatagrams()).as("no echo charged").isEqualTo(200 - answered);
        ClientRequest other = RequestBuilder.command(0, 0, 1).authenticateWithCoin(0, 1, AN1).build();
        receiver.receive(ByteBuffer.wrap(other.frame()), from("192.0.2.8"), false);
        byte[] reply = sink.replies.get(sink.replies.size() - 1);
        assertThat(ResponseParser.parse(other, reply).status()).as("another source is served").isEqualTo(250);
        long refused = core.stats().rateLimitedDatagrams();
        receiver.receive(ByteBuffer.wrap(new byte[10]), noisy, false);
        assertThat(core.stats().rateLimitedDatagrams()).as("too short to read: dropped unread, not charged")
                .isEqualTo(refused);
    }
}
