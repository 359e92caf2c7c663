package io.raida.transport.netty;

import static io.raida.protocol.transport.TransportTestSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.TransportTestSupport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared UDP socket under a burst (issue 15: the client's throughput with many calls in
 * flight): replies that arrive together, in any order, are read in one wake-up (up to
 * {@link NettyRaidaClient#UDP_MESSAGES_PER_READ} per read, not one datagram per trip through the
 * event loop) and each goes to its own call, also for calls sent from a reply's callback on the
 * socket's own loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyClientUdpBurstTest {
    private static final int WINDOW = 64;

    private final TransportTestSupport fx = TransportTestSupport.create();

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void aBurstOfRepliesInReverseOrderReachesEveryCallAndItsFollowUp(boolean epoll) throws Exception {
        if (epoll) {
            assumeTrue(Epoll.isAvailable(), "native epoll unavailable");
        }
        ServerCore core = fx.newCore(4_096);
        AtomicReference<Throwable> serverError = new AtomicReference<>();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             NettyRaidaClient client = NettyRaidaClient.create(ClientOptions.builder().preferNativeTransport(epoll)
                     .ioThreads(1).build())) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            // two rounds: collect the whole window, then answer it back to back, last request first
            Thread answering = new Thread(() -> {
                try {
                    for (int round = 0; round < 2; round++) {
                        answerBurst(server, core);
                    }
                } catch (Throwable t) {
                    serverError.set(t);
                }
            }, "udp-burst-server");
            answering.start();
            List<CompletableFuture<RaidaResponse>> firsts = new ArrayList<>();
            List<CompletableFuture<RaidaResponse>> seconds = new ArrayList<>();
            List<ClientRequest> secondRequests = new ArrayList<>();
            for (int i = 0; i < WINDOW; i++) {
                ClientRequest followUp = echo();
                secondRequests.add(followUp);
                CompletableFuture<RaidaResponse> second = new CompletableFuture<>();
                seconds.add(second);
                CompletableFuture<RaidaResponse> first = client.send(at, echo(), Transport.UDP, Duration.ofSeconds(20));
                firsts.add(first);
                // sent from the reply's callback, on the socket's event loop
                first.thenAccept(r -> client.send(at, followUp, Transport.UDP, Duration.ofSeconds(20))
                        .whenComplete((r2, e2) -> {
                            if (e2 != null) {
                                second.completeExceptionally(e2);
                            } else {
                                second.complete(r2);
                            }
                        }));
            }
            for (int i = 0; i < WINDOW; i++) {
                assertThat(firsts.get(i).get(20, TimeUnit.SECONDS).status()).as("first call %d", i).isEqualTo(250);
                RaidaResponse r = seconds.get(i).get(20, TimeUnit.SECONDS);
                assertThat(r.status()).as("follow-up %d", i).isEqualTo(250);
                assertThat(r.header().echo()).as("follow-up %d has its own reply", i).isEqualTo(secondRequests.get(i).echo());
            }
            answering.join(10_000);
            assertThat(serverError.get()).isNull();
            assertThat(answering.isAlive()).isFalse();

            Channel socket = client.udpSocket();
            assertThat(socket).isNotNull();
            RecvByteBufAllocator alloc = socket.config().getRecvByteBufAllocator();
            assertThat(alloc).isInstanceOf(MaxMessagesRecvByteBufAllocator.class);
            assertThat(((MaxMessagesRecvByteBufAllocator) alloc).maxMessagesPerRead())
                    .as("datagrams per wake-up").isEqualTo(NettyRaidaClient.UDP_MESSAGES_PER_READ);
            assertThat(alloc.newHandle().guess()).as("room for the largest datagram").isEqualTo(65_536);
        }
    }

    private static void answerBurst(DatagramSocket server, ServerCore core) throws Exception {
        List<byte[]> replies = new ArrayList<>();
        List<SocketAddress> to = new ArrayList<>();
        byte[] buf = new byte[65_536];
        server.setSoTimeout(20_000);
        while (replies.size() < WINDOW) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            server.receive(p);
            byte[] frame = java.util.Arrays.copyOf(p.getData(), p.getLength());
            replies.add(core.answer(frame, Transport.UDP));
            to.add(p.getSocketAddress());
        }
        for (int i = WINDOW - 1; i >= 0; i--) {
            byte[] reply = replies.get(i);
            server.send(new DatagramPacket(reply, reply.length, to.get(i)));
        }
    }
}
