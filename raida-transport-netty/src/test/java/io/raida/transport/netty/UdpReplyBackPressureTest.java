package io.raida.transport.netty;

import static io.raida.protocol.transport.TransportTestSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * UDP replies never pile up in Netty's outbound buffer: when the channel stays unwritable (the
 * socket takes nothing more) a reply is dropped and counted, like the NIO transport's bounded send
 * queue, instead of being queued without bound.
 */
class UdpReplyBackPressureTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_014);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);

    @Test
    void repliesToAnUnwritableChannelAreDroppedAndCountedNotQueued() {
        ServerCore core = TransportTestSupport.create().newCore(4_096);
        NettyRaidaServer server = NettyRaidaServer.create(core, ServerOptions.defaults());
        ServerDispatcher dispatcher = ServerDispatcher.start(core, ServerOptions.defaults(), "backpressure-test");
        UdpServerHandler handler = new UdpServerHandler(server, dispatcher, 1_440);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        try {
            ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
            for (int i = 0; i < 10; i++) {
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(echo().frame()), SERVER, PEER));
            }
            assertThat(ch.outboundMessages()).as("nothing queued while unwritable").isEmpty();
            assertThat(core.stats().drops()).isEqualTo(10);

            ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
            ClientRequest req = echo();
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(req.frame()), SERVER, PEER));
            DatagramPacket reply = ch.readOutbound();
            assertThat(reply).as("writable again: answered").isNotNull();
            try {
                byte[] bytes = new byte[reply.content().readableBytes()];
                reply.content().getBytes(reply.content().readerIndex(), bytes);
                assertThat(reply.recipient()).isEqualTo(PEER);
                assertThat(ResponseParser.parse(req, bytes).status()).isEqualTo(250);
            } finally {
                reply.release();
            }
            assertThat(core.stats().drops()).isEqualTo(10);
        } finally {
            ch.finishAndReleaseAll();
            dispatcher.shutdown(java.time.Duration.ofSeconds(1));
        }
    }
}
