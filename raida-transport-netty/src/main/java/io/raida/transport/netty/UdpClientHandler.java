package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.client.UdpCallTable;
import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one shared UDP socket for parsed requests: requests to any number of RAIDAs are in
 * flight on it at once, and the core's {@link UdpCallTable} decides which call a datagram answers.
 * Raw exchanges never come here (each has its own socket: {@link RawUdpClientHandler}). All state
 * is confined to the channel's event loop.
 */
final class UdpClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpClientHandler.class);

    private final UdpCallTable table = new UdpCallTable();
    private final int maxResponseSize;

    UdpClientHandler(int maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    /** Event loop: registers the call, arms its deadline and sends the datagram. */
    void start(Channel ch, ClientExchange<?> call) {
        if (call.isDone()) {
            return;
        }
        EventLoop loop = ch.eventLoop();
        table.add(call);
        Future<?> timer = loop.schedule(() -> {
            call.timedOut();
        }, call.deadlineNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
        call.whenEnded(() -> {
            timer.cancel(false);
            if (loop.inEventLoop()) {
                table.ended(call);
            } else {
                try {
                    loop.execute(() -> table.ended(call));
                } catch (RejectedExecutionException closed) {
                    // the loop is gone with the socket: nothing left to release
                }
            }
        });
        ByteBuf buf = ch.alloc().ioBuffer(call.frameLength()).writeBytes(call.frameBuffer());
        ch.writeAndFlush(new DatagramPacket(buf, call.target())).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(new RaidaTransportException("sending the UDP request to " + call.describe() + " failed: "
                        + f.cause().getMessage(), f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket p = (DatagramPacket) msg;
        byte[] reply;
        InetSocketAddress sender = p.sender();
        try {
            ByteBuf content = p.content();
            if (!table.isWaitingFor(sender) || content.readableBytes() > maxResponseSize) {
                LOG.debug("dropping an unexpected or oversized UDP datagram from {}", sender);
                return;
            }
            reply = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), reply);
        } finally {
            p.release();
        }
        ClientExchange<?> match = table.select(sender, reply, 0, reply.length);
        if (match == null) {
            LOG.debug("dropping a UDP reply from {} that matches no waiting request", sender);
            return;
        }
        match.reply(reply);
    }

    /** Event loop: fails everything still waiting (client closing). */
    void failAll() {
        for (ClientExchange<?> c : table.liveCalls()) {
            c.failClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. an ICMP port-unreachable surfacing on the socket: the affected request times out.
        LOG.debug("client UDP socket: {}", cause.toString());
    }
}
