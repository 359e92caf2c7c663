package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the datagrams of one UDP channel (transport.md §3.2): the core's interceptors get the
 * first look, then the loop's own context decodes the datagram (reset for every one, D-10); errors
 * and non-blocking commands are answered on the event loop. A command for the worker pool takes its
 * decoded context with it and the loop takes a free one from the bounded pool in exchange: when
 * the pool is empty or the worker queue is full the datagram is dropped and counted. Replies
 * written on the loop are flushed once per read batch so epoll can send them with sendmmsg. Every
 * received buffer is released before this method returns; decoders copy what they keep.
 */
final class UdpRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpRequestHandler.class);

    private final NettyRaidaServer server;
    private final ServerCore core;
    private final UdpContextPool pool;
    private final int threshold;
    private ChannelHandlerContext ctx;
    private boolean flushPending;
    /** The loop's own context: decodes every datagram and answers inline ones and errors. */
    private UdpContextPool.UdpContext scratch;

    UdpRequestHandler(NettyRaidaServer server, UdpContextPool pool, int threshold) {
        this.server = server;
        this.core = server.core();
        this.pool = pool;
        this.threshold = threshold;
        this.scratch = new UdpContextPool.UdpContext(core.newDecoder());
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
            onDatagram(packet.content(), packet.sender());
        } finally {
            packet.release();
        }
    }

    private void onDatagram(ByteBuf content, InetSocketAddress sender) {
        int len = content.readableBytes();
        ByteBuffer view = content.nioBufferCount() == 1
                ? content.internalNioBuffer(content.readerIndex(), len)
                : content.nioBuffer(content.readerIndex(), len);
        byte[] fast = core.interceptDatagram(view, sender);
        if (fast != null) {
            if (fast.length > 0) {
                write(fast, sender);
            }
            return;
        }
        UdpContextPool.UdpContext u = scratch;
        FrameDecoder d = u.decoder;
        d.reset(Transport.UDP, sender, System.nanoTime());
        // The receive buffer holds threshold + 1 bytes: a datagram that fills it was longer than allowed (D-22).
        switch (d.decodeDatagram(view, len > threshold)) {
            case DROP:
                return;
            case RESPOND:
                replyInline(d);
                return;
            default:
                if (d.isNonBlocking()) {
                    d.process();
                    replyInline(d);
                    return;
                }
                // A worker takes this context with the decoded request; a free pooled one becomes the loop's.
                UdpContextPool.UdpContext spare = pool.take();
                if (spare == null) {
                    core.stats().recordDrop();
                    return;
                }
                scratch = spare;
                u.handler = this;
                server.requestStarted();
                if (!server.workers().trySubmit(u.work)) {
                    server.requestFinished();
                    core.stats().recordDrop();
                    pool.give(u);
                }
        }
    }

    private void replyInline(FrameDecoder d) {
        write(d.responseArray(), d.remoteAddress());
        d.complete();
    }

    private void write(byte[] bytes, InetSocketAddress to) {
        if (!ctx.channel().isWritable()) {
            // Past the high-water mark: send this batch's replies now; if the socket still takes none,
            // drop and count instead of queueing in the outbound buffer without bound (as NIO does).
            flushPending = false;
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                core.stats().recordDrop();
                return;
            }
        }
        ByteBuf buf = ctx.alloc().directBuffer(bytes.length).writeBytes(bytes);
        ctx.write(new DatagramPacket(buf, to), ctx.voidPromise());
        flushPending = true;
    }

    /** Worker thread: the handler ran; the reply is sent from the channel's event loop. */
    void replyFromWorker(UdpContextPool.UdpContext u) {
        try {
            ctx.executor().execute(u.reply);
        } catch (RejectedExecutionException e) {
            // The event loop is already shut down (server closing past its deadline): nothing can be sent.
            pool.give(u);
            server.requestFinished();
        }
    }

    /** Worker thread: the handler failed without a reply; free the context and count the request done. */
    void abandonFromWorker(UdpContextPool.UdpContext u) {
        try {
            pool.give(u);
        } finally {
            server.requestFinished();
        }
    }

    /** Event loop: sends a reply a worker built. */
    void sendWorkerReply(UdpContextPool.UdpContext u) {
        FrameDecoder d = u.decoder;
        try {
            write(d.responseArray(), d.remoteAddress());
            d.complete();
            flushPending = false;
            ctx.flush();
        } finally {
            pool.give(u);
            server.requestFinished();
        }
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
        // A failed send or receive concerns one datagram; the channel keeps serving everyone else.
        LOG.debug("UDP channel {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
