package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.client.TcpReplyReader;
import io.raida.protocol.transport.RaidaTransportException;
import java.io.IOException;

/**
 * Client side of one TCP request (transport.md §6): writes the whole frame once connected and
 * hands every received byte to the core's {@link TcpReplyReader}, which says when the reply is
 * complete (and whether what arrived before a reset is one). Every received buffer is copied and
 * released at once.
 */
final class TcpClientHandler extends ChannelInboundHandlerAdapter {
    private final NettyRaidaClient client;
    private final ClientExchange<?> call;
    private final TcpReplyReader reader;
    private byte[] chunk = new byte[0];

    TcpClientHandler(NettyRaidaClient client, ClientExchange<?> call, int maxResponse) {
        this.client = client;
        this.call = call;
        this.reader = call.newTcpReader(maxResponse);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().ioBuffer(call.frameLength()).writeBytes(call.frameBuffer());
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(new RaidaTransportException("sending the request to " + call.describe() + " failed: "
                        + f.cause().getMessage(), f.cause()));
                f.channel().close();
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        byte[] reply;
        try {
            if (call.isDone()) {
                return;
            }
            int n = in.readableBytes();
            if (chunk.length < n) {
                chunk = new byte[Math.max(n, 1024)];
            }
            in.readBytes(chunk, 0, n);
            reply = reader.feed(chunk, 0, n);
        } catch (RaidaTransportException e) {
            call.fail(e);
            ctx.close();
            return;
        } finally {
            in.release();
        }
        if (reply != null) {
            call.reply(reply);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!call.isDone()) {
            if (client.isClosed()) {
                call.failClosed();
            } else {
                try {
                    call.reply(reader.onEof());
                } catch (RaidaTransportException e) {
                    call.fail(e);
                }
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException io) {
            try {
                call.reply(reader.onReset(io)); // a complete reply followed by a reset is the answer (D-23)
            } catch (RaidaTransportException e) {
                call.fail(e);
            }
        } else {
            call.fail(new RaidaTransportException("TCP exchange with " + call.describe() + " failed: " + cause, cause));
        }
        ctx.close();
    }
}
