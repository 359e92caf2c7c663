package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.server.DatagramReceiver;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.server.ServerExchange;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datagrams of one UDP channel (transport.md §3.2): each goes to the core's
 * {@link DatagramReceiver} (interceptors, decoding, dispatch, pooling and drops are decided there);
 * this handler is its {@link ReplySink}. Replies made on the loop are flushed once per read batch so
 * epoll can send them with sendmmsg; replies from workers are written on the channel's event loop.
 * Every received buffer is released before {@link #channelRead} returns; the core copies what it keeps.
 */
final class UdpServerHandler extends ChannelInboundHandlerAdapter implements ReplySink {
    private static final Logger LOG = LoggerFactory.getLogger(UdpServerHandler.class);

    private final NettyRaidaServer server;
    private final ServerDispatcher dispatcher;
    private final DatagramReceiver receiver;
    private final int threshold;
    private ChannelHandlerContext ctx;
    private boolean flushPending;

    UdpServerHandler(NettyRaidaServer server, ServerDispatcher dispatcher, int threshold) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.threshold = threshold;
        this.receiver = dispatcher.newDatagramReceiver(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            ByteBuffer view = content.nioBufferCount() == 1
                    ? content.internalNioBuffer(content.readerIndex(), len)
                    : content.nioBuffer(content.readerIndex(), len);
            server.recordLoopActivity(ctx.executor());
            // The receive buffer holds threshold + 1 bytes: a datagram that fills it was longer than allowed (D-22).
            receiver.receive(view, packet.sender(), len > threshold);
        } finally {
            packet.release();
        }
    }

    @Override
    public void send(ServerExchange exchange, byte[] reply) {
        InetSocketAddress to = exchange.remoteAddress();
        if (ctx.executor().inEventLoop()) {
            write(reply, to);
            return;
        }
        server.requestStarted();
        try {
            ctx.executor().execute(() -> {
                try {
                    write(reply, to);
                    flushPending = false;
                    ctx.flush();
                } finally {
                    server.requestFinished();
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loop is already shut down (server closing past its deadline): nothing can be sent.
            server.requestFinished();
        }
    }

    @Override
    public void close(ServerExchange exchange) {
        // a datagram without a reply needs nothing closed
    }

    @Override
    public boolean isOpen(ServerExchange exchange) {
        return ctx.channel().isOpen();
    }

    private void write(byte[] bytes, InetSocketAddress to) {
        if (!ctx.channel().isWritable()) {
            // Past the high-water mark: send this batch's replies now; if the socket still takes none,
            // drop and count instead of queueing in the outbound buffer without bound (as NIO does).
            flushPending = false;
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                dispatcher.recordDroppedReply();
                return;
            }
        }
        ByteBuf buf = ctx.alloc().directBuffer(bytes.length).writeBytes(bytes);
        ctx.write(new DatagramPacket(buf, to), ctx.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (NettyRaidaServer.isFatal(cause)) {
            server.fail(cause);
            return;
        }
        // A failed send or receive concerns one datagram; the channel keeps serving everyone else.
        LOG.debug("UDP channel {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
