package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.UdpReplyMatcher;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one shared UDP socket: requests to any number of RAIDAs are in flight on it at once;
 * a reply is given to the waiting request from the same source address that the core's
 * {@link UdpReplyMatcher} picks (echo bytes and challenge signature; an early header error only to
 * a request waiting alone), or else to the oldest raw exchange with that address. Replies nobody
 * waits for are dropped. All state is confined to the channel's event loop.
 */
final class UdpClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpClientHandler.class);

    private final Map<InetSocketAddress, List<ClientCall<?>>> waiting = new HashMap<>();

    /** Event loop: registers the call, arms its deadline and sends the datagram. */
    void start(Channel ch, ClientCall<?> call, byte[] frame) {
        if (call.isDone()) {
            return;
        }
        waiting.computeIfAbsent(call.target, k -> new ArrayList<>(4)).add(call);
        call.timer = ch.eventLoop().schedule(() -> expire(call), call.timeoutNanos, TimeUnit.NANOSECONDS);
        ByteBuf buf = ch.alloc().ioBuffer(frame.length).writeBytes(frame);
        ch.writeAndFlush(new DatagramPacket(buf, call.target)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                remove(call);
                call.fail(new RaidaTransportException("sending the UDP request to " + call.describe() + " failed: "
                        + f.cause().getMessage(), f.cause()));
            }
        });
    }

    private void expire(ClientCall<?> call) {
        remove(call);
        call.fail(new RaidaTimeoutException("no UDP reply from " + call.describe() + " within "
                + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos) + " ms"));
    }

    private void remove(ClientCall<?> call) {
        List<ClientCall<?>> list = waiting.get(call.target);
        if (list != null && list.remove(call) && list.isEmpty()) {
            waiting.remove(call.target);
        }
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
            List<ClientCall<?>> list = waiting.get(sender);
            if (list == null) {
                LOG.debug("dropping an unexpected UDP datagram from {}", sender);
                return;
            }
            ByteBuf content = p.content();
            reply = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), reply);
        } finally {
            p.release();
        }
        ClientCall<?> match = take(sender, reply);
        if (match == null) {
            LOG.debug("dropping a UDP reply from {} that matches no waiting request", sender);
            return;
        }
        match.succeed(reply);
    }

    private ClientCall<?> take(InetSocketAddress sender, byte[] reply) {
        List<ClientCall<?>> list = waiting.get(sender);
        // a call cancelled by its caller waits here until its timer fires, but its echo is free again
        // and may already belong to a newer call: it must not take that call's reply
        list.removeIf(ClientCall::isDone);
        int i = UdpReplyMatcher.select(list, c -> c.request, reply, 0, reply.length);
        if (i < 0) {
            if (list.isEmpty()) {
                waiting.remove(sender);
            }
            return null;
        }
        ClientCall<?> found = list.remove(i);
        if (list.isEmpty()) {
            waiting.remove(sender);
        }
        return found;
    }

    /** Event loop: fails everything still waiting (client closing). */
    void failAll(Throwable cause) {
        for (List<ClientCall<?>> list : waiting.values()) {
            for (Iterator<ClientCall<?>> it = list.iterator(); it.hasNext(); ) {
                it.next().fail(cause);
                it.remove();
            }
        }
        waiting.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. an ICMP port-unreachable surfacing on the socket: the affected request times out.
        LOG.debug("client UDP socket: {}", cause.toString());
    }
}
