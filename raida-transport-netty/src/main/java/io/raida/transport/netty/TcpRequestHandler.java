package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection's request (transport.md §2.3) on top of the core's {@link FrameDecoder}: feeds
 * it what the socket delivers (it takes only what the request needs), runs the command inline when
 * the handler is non-blocking or on the bounded worker pool otherwise (queue full → 254), writes the
 * response, shuts the output down and closes once the peer has closed too or a short drain deadline
 * passed, so unread client bytes never turn the close into an RST that could destroy the reply
 * (D-23). Deadlines (D-30): the whole request must arrive within the read timeout from accept; the
 * {@code IdleStateHandler} in front closes a connection without progress for the idle timeout. A
 * closing peer never frees state a worker uses (D-26): the decoder belongs to this connection only.
 *
 * <p>Not sharable; everything but {@link #work()} runs on the channel's event loop.
 */
final class TcpRequestHandler extends ByteToMessageDecoder implements Runnable, ChannelFutureListener {
    private static final Logger LOG = LoggerFactory.getLogger(TcpRequestHandler.class);

    /** User event the server fires on every connection when it starts closing. */
    static final Object SERVER_CLOSING = new Object() {
        @Override
        public String toString() {
            return "SERVER_CLOSING";
        }
    };

    /** Where the connection's single request is. */
    private enum Phase { READING, PROCESSING, WRITING, DRAINING, CLOSED }

    private final NettyRaidaServer server;
    private final FrameDecoder decoder;
    private final Runnable work = this::work;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.READING;
    private ScheduledFuture<?> deadline;
    private boolean inputShutdown;
    private boolean counted;

    TcpRequestHandler(NettyRaidaServer server) {
        this.server = server;
        this.decoder = server.core().newDecoder();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        decoder.reset(Transport.TCP, (InetSocketAddress) ctx.channel().remoteAddress(), System.nanoTime());
        deadline = ctx.executor().schedule(this::deadlinePassed, server.readTimeoutNanos(), TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (phase == Phase.READING) {
            int readable = in.readableBytes();
            ByteBuffer view = in.nioBufferCount() == 1
                    ? in.internalNioBuffer(in.readerIndex(), readable)
                    : in.nioBuffer(in.readerIndex(), readable);
            in.skipBytes(decoder.feed(view));
            if (!decoder.isReading()) {
                requestComplete();
            }
        }
        if (phase != Phase.READING) {
            // Bytes after the request are never decoded; reading and dropping them keeps memory bounded
            // and lets the close after the reply be a FIN rather than an RST (D-23).
            in.skipBytes(in.readableBytes());
        }
    }

    private void requestComplete() {
        cancelDeadline();
        // From here a half-close by the client is harmless (transport.md §2.1): keep the channel open on EOF.
        ((SocketChannel) ctx.channel()).config().setAllowHalfClosure(true);
        counted = true;
        server.requestStarted();
        if (decoder.state() == FrameDecoder.State.PROCESSING) {
            if (decoder.isNonBlocking()) {
                decoder.process();
            } else {
                phase = Phase.PROCESSING;
                if (server.workers().trySubmit(work)) {
                    return;
                }
                decoder.respondWithError(StatusCode.ERROR_MEMORY_ALLOC);
            }
        }
        writeResponse();
    }

    /** Worker thread: runs the handler, then gives the connection back to its event loop. */
    private void work() {
        try {
            decoder.process();
        } finally {
            // also when process() threw: run() then closes the connection instead of leaving it in PROCESSING
            try {
                ctx.executor().execute(this);
            } catch (RejectedExecutionException e) {
                // The event loop is gone (server closed past its deadline); the channel was closed with it.
                settle();
            }
        }
    }

    /** Event loop, after a worker finished. */
    @Override
    public void run() {
        if (decoder.state() != FrameDecoder.State.WANT_WRITE) {
            // the worker failed without a response: there is nothing to send
            phase = Phase.CLOSED;
            settle();
            ctx.close();
            return;
        }
        writeResponse();
    }

    private void writeResponse() {
        if (phase == Phase.CLOSED || !ctx.channel().isActive()) {
            settle();
            return;
        }
        phase = Phase.WRITING;
        byte[] response = decoder.responseArray();
        ByteBuf buf = ctx.alloc().ioBuffer(response.length).writeBytes(response);
        decoder.complete();
        ctx.writeAndFlush(buf).addListener(this);
    }

    /** The response write finished. */
    @Override
    public void operationComplete(ChannelFuture future) {
        settle();
        if (!future.isSuccess() || phase == Phase.CLOSED) {
            ctx.close();
            return;
        }
        phase = Phase.DRAINING;
        if (inputShutdown) {
            ctx.close();
            return;
        }
        // The peer's EOF now simply closes the channel.
        ((SocketChannel) ctx.channel()).config().setAllowHalfClosure(false);
        shutdownOutput(ctx.channel());
        deadline = ctx.executor().schedule(this::deadlinePassed, server.drainNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends FIN after the reply. On epoll straight on the socket: Netty's own {@code shutdownOutput()}
     * builds an exception with a stack trace for every call, a noticeable cost once per connection.
     */
    private static void shutdownOutput(Channel ch) {
        if (ch instanceof UnixChannel && ((UnixChannel) ch).fd() instanceof Socket) {
            try {
                ((Socket) ((UnixChannel) ch).fd()).shutdown(false, true);
            } catch (IOException | RuntimeException e) {
                // ENOTCONN and the like: the peer is gone already
                ch.close();
            }
            return;
        }
        ((DuplexChannel) ch).shutdownOutput();
    }

    private void deadlinePassed() {
        deadline = null;
        if (phase == Phase.READING) {
            server.core().stats().recordTimeout();
            LOG.debug("closing {}: request incomplete after the read timeout ({} bytes received)",
                    ctx.channel().remoteAddress(), decoder.bytesReceived());
            ctx.close();
        } else if (phase == Phase.DRAINING) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            super.userEventTriggered(ctx, evt);
            // A half-close after the complete request is harmless; before it, the request can never finish.
            if (phase == Phase.READING || phase == Phase.DRAINING) {
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (phase != Phase.PROCESSING) {
                if (phase != Phase.DRAINING) {
                    server.core().stats().recordTimeout();
                }
                LOG.debug("closing idle connection {} in phase {}", ctx.channel().remoteAddress(), phase);
                ctx.close();
            }
        } else if (evt == SERVER_CLOSING) {
            if (phase == Phase.READING || phase == Phase.DRAINING) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Phase was = phase;
        phase = Phase.CLOSED;
        cancelDeadline();
        if (was == Phase.READING || was == Phase.DRAINING) {
            settle();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Transport errors (reset, broken pipe) close the socket silently (transport.md §2.1).
        LOG.debug("TCP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** The request no longer counts as in flight (once per connection). */
    private void settle() {
        if (counted) {
            counted = false;
            server.requestFinished();
        }
    }
}
