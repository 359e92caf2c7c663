package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.ResponseFraming;
import io.raida.protocol.transport.RaidaTransportException;
import java.util.Arrays;

/**
 * Client side of one TCP request (transport.md §6): writes the whole frame once connected, then
 * collects the reply until the server closes or, for a parsed request, until {@code header + size}
 * bytes are in (a 32-byte header for types 0/1/2; for types 4/5 an early error may come with 32,
 * so the reply ends at EOF or at 48 + size). Every received buffer is copied and released at once.
 */
final class TcpExchangeHandler extends ChannelInboundHandlerAdapter {
    private final NettyRaidaClient client;
    private final ClientCall<?> call;
    private final byte[] frame;
    private final int maxResponse;
    private byte[] buf = new byte[256];
    private int len;

    TcpExchangeHandler(NettyRaidaClient client, ClientCall<?> call, byte[] frame, int maxResponse) {
        this.client = client;
        this.call = call;
        this.frame = frame;
        this.maxResponse = maxResponse;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().ioBuffer(frame.length).writeBytes(frame);
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
        try {
            if (call.isDone()) {
                return;
            }
            int n = in.readableBytes();
            if ((long) len + n > maxResponse) {
                call.fail(new MalformedResponseException("reply from " + call.describe() + " exceeds the maximum of "
                        + maxResponse + " bytes"));
                ctx.close();
                return;
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxResponse, Math.max(buf.length * 2, len + n)));
            }
            in.readBytes(buf, len, n);
            len += n;
        } finally {
            in.release();
        }
        if (call.request != null) {
            int total = ResponseFraming.expectedLength(buf, 0, len, call.request.headerSize());
            if (total >= 0 && len >= total) {
                len = total;
                finish();
                ctx.close();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!call.isDone()) {
            if (client.isClosed()) {
                call.fail(ClientCall.closedError());
            } else if (len == 0) {
                call.fail(new RaidaTransportException("connection to " + call.describe()
                        + " closed before any reply byte"));
            } else {
                finish();
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        call.fail(new RaidaTransportException("connection to " + call.describe() + " failed: " + cause.getMessage(),
                cause));
        ctx.close();
    }

    private void finish() {
        call.succeed(len == buf.length ? buf : Arrays.copyOf(buf, len));
    }
}
