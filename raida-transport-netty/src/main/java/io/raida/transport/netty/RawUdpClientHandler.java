package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.transport.RaidaTransportException;
import java.net.PortUnreachableException;

/**
 * One raw UDP exchange on its own connected socket: the first datagram back is its reply. Raw
 * frames may be ones the server drops (transport.md §3.2), so they cannot share a socket with
 * other exchanges without taking each other's replies.
 */
final class RawUdpClientHandler extends ChannelInboundHandlerAdapter {
    private final ClientExchange<byte[]> call;

    RawUdpClientHandler(ClientExchange<byte[]> call) {
        this.call = call;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
            if (content == null) {
                return;
            }
            byte[] reply = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), reply);
            call.reply(reply);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PortUnreachableException) {
            call.fail(new RaidaTransportException("nothing listens on UDP " + call.describe()
                    + " (ICMP port unreachable)", cause));
            ctx.close();
        }
    }
}
