package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection's request (transport.md §2.3): feeds what the socket delivers to the core's
 * {@link ServerExchange} (it takes only what the request needs and answers it: inline, on a worker,
 * 254, 252 — all decided in the core), writes the reply it gets as the exchange's {@link ReplySink},
 * then closes as the exchange says: shutting the output down and closing once the peer has closed
 * too or the drain deadline passed, so unread client bytes never turn the close into an RST that
 * could destroy the reply (D-23). Deadlines (D-30): the whole request must arrive within the read
 * timeout from accept; the {@code IdleStateHandler} in front closes a connection without progress for
 * the idle timeout. A closing peer never frees state a worker uses (D-26).
 *
 * <p>Not sharable; everything but {@link #send} and {@link #close(ServerExchange)} from a worker
 * runs on the channel's event loop.
 */
final class TcpServerHandler extends ByteToMessageDecoder implements ReplySink, ChannelFutureListener {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServerHandler.class);

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
    private ServerExchange exchange;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.READING;
    private ScheduledFuture<?> deadline;
    private boolean inputShutdown;
    private boolean counted;

    TcpServerHandler(NettyRaidaServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        exchange = server.dispatcher().newStreamExchange((InetSocketAddress) ctx.channel().remoteAddress(), this,
                System.nanoTime());
        server.recordLoopActivity(ctx.executor());
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
            // Netty cannot tell that the socket is empty after these bytes: the exchange then asks for a drain
            in.skipBytes(exchange.feed(view, true));
            if (!exchange.isReading()) {
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
        phase = Phase.PROCESSING;
        exchange.dispatch();
    }

    /** The exchange's reply: written on the event loop (handed over when it comes from a worker). */
    @Override
    public void send(ServerExchange ex, byte[] reply) {
        if (ctx.executor().inEventLoop()) {
            writeResponse(reply);
            return;
        }
        try {
            ctx.executor().execute(() -> writeResponse(reply));
        } catch (RejectedExecutionException e) {
            // The event loop is gone (server closed past its deadline); the channel was closed with it.
            settle();
        }
    }

    /** The exchange ends without a reply: close the connection. */
    @Override
    public void close(ServerExchange ex) {
        try {
            ctx.executor().execute(() -> {
                phase = Phase.CLOSED;
                settle();
                ctx.close();
            });
        } catch (RejectedExecutionException e) {
            settle();
        }
    }

    /** The request budget sheds this connection's stalled partial body: close it if still reading. */
    @Override
    public void shed(ServerExchange ex) {
        try {
            ctx.executor().execute(() -> {
                if (phase == Phase.READING) {
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException e) {
            // the loop is gone and its channels with it
        }
    }

    @Override
    public boolean isOpen(ServerExchange ex) {
        return ctx.channel().isActive();
    }

    private void writeResponse(byte[] response) {
        if (phase == Phase.CLOSED || !ctx.channel().isActive()) {
            settle();
            return;
        }
        phase = Phase.WRITING;
        ByteBuf buf = ctx.alloc().ioBuffer(response.length).writeBytes(response);
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
        if (inputShutdown || exchange.afterReply() == ServerExchange.AfterReply.CLOSE) {
            ctx.close();
            return;
        }
        // The peer's EOF now simply closes the channel.
        ((SocketChannel) ctx.channel()).config().setAllowHalfClosure(false);
        shutdownOutput(ctx.channel());
        deadline = ctx.executor().schedule(this::deadlinePassed, server.dispatcher().drainNanos(), TimeUnit.NANOSECONDS);
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
            server.dispatcher().recordTimeout();
            LOG.debug("closing {}: request incomplete after the read timeout ({} bytes received)",
                    ctx.channel().remoteAddress(), exchange.bytesReceived());
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
                    server.dispatcher().recordTimeout();
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
        if (was == Phase.READING && exchange != null) {
            exchange.abandon(); // its partial body's bytes go back to the request budget
        }
        if (was == Phase.READING || was == Phase.DRAINING) {
            settle();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (NettyRaidaServer.isFatal(cause)) {
            // the JVM is failing on this event loop: the server fails as a whole rather than serve nothing
            server.fail(cause);
            return;
        }
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
