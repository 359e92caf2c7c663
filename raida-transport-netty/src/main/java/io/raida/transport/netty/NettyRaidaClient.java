package io.raida.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.ClientCore;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.internal.LoopAffinity;
import io.raida.protocol.internal.UdpSocketBuffers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A RAIDA client on Netty: many requests in flight on one shared event loop group, no thread per
 * request. It only moves bytes: the core's {@link ClientCore} and {@link ClientExchange} own each
 * call's rules. TCP opens a connection per request (the server answers once and closes; at most
 * {@link ClientOptions#maxTcpConnectionsPerRaida()} at once per address); parsed UDP requests share
 * one socket and the core's {@link io.raida.protocol.client.UdpCallTable} matches replies; each raw
 * UDP exchange has its own socket. Cancelling a returned future closes its socket at once. Futures
 * complete on an event-loop thread; do not block in their callbacks.
 *
 * <pre>{@code
 * try (RaidaClient client = NettyRaidaClient.create(ClientOptions.defaults())) {
 *     RaidaResponse r = client.send(raida, RequestBuilder.command(14, 0, 0).build(), Transport.UDP).join();
 * }
 * }</pre>
 */
public final class NettyRaidaClient implements RaidaClient {
    /** Datagrams read from the shared UDP socket per wake-up: Netty's default for datagram channels. */
    static final int UDP_MESSAGES_PER_READ = 16;

    private final ClientOptions options;
    private final NettyIo io;
    private final EventLoopGroup group;
    private final LoopAffinity<EventLoop> affinity;
    private final Bootstrap tcpTemplate;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final ChannelFutureListener untrack = f -> channels.remove(f.channel());
    private final ClientCore core;
    private final UdpClientHandler udpHandler;
    private ChannelFuture udpChannel;
    /** The shared UDP socket once bound (null before): the per-call fast path reads it without a lock. */
    private volatile Channel udpBound;
    private volatile boolean closed;

    private NettyRaidaClient(ClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.core = new ClientCore(options);
        this.udpHandler = new UdpClientHandler(options.maxResponseSize());
        this.io = NettyIo.select(options.preferNativeTransport());
        this.group = io.newGroup(options.ioThreads(), "raida-netty-client");
        this.affinity = new LoopAffinity<>(group::next);
        this.tcpTemplate = new Bootstrap()
                .group(group)
                .channel(io.socketChannel());
    }

    /**
     * A client with its own event loop group ({@link ClientOptions#ioThreads()} threads).
     *
     * @param options timeouts, I/O threads, native-transport preference and limits of the client
     * @return a client ready to send; close it to shut its event loop group down
     */
    public static NettyRaidaClient create(ClientOptions options) {
        return new NettyRaidaClient(options);
    }

    /**
     * A client with default options.
     *
     * @return a client ready to send; close it to shut its event loop group down
     */
    public static NettyRaidaClient create() {
        return create(ClientOptions.defaults());
    }

    /**
     * True when this client runs on native epoll rather than NIO event loops.
     *
     * @return {@code true} on epoll, {@code false} when it fell back to NIO (not Linux, or the native library did not
     *         load)
     */
    public boolean isNativeTransport() {
        return io.isEpoll();
    }

    @Override
    public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        ClientExchange<RaidaResponse> call = core.newCall(raida, request, transport, timeout);
        if (!call.isDone()) {
            dispatch(call, transport);
        }
        return call.future();
    }

    @Override
    public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                              Duration timeout) {
        ClientExchange<byte[]> call = core.newRawExchange(raida, frame, transport, timeout);
        if (call.isDone()) {
            return call.future();
        }
        if (transport == Transport.UDP) {
            if (closed) {
                call.failClosed();
            } else {
                sendRawUdp(call);
            }
        } else {
            dispatch(call, transport);
        }
        return call.future();
    }

    private void dispatch(ClientExchange<?> call, Transport transport) {
        if (closed) {
            call.failClosed();
        } else if (transport == Transport.TCP) {
            EventLoop loop;
            io.netty.util.concurrent.Future<?> timer;
            try {
                loop = affinity.choose(call);
                // armed before waiting for a connection permit: the wait counts against the deadline
                timer = loop.schedule(() -> call.timedOut("no complete TCP reply from " + call.describe() + " within "
                        + millis(call.timeoutNanos())), Math.max(0, call.deadlineNanos() - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                call.failClosed();
                return;
            }
            call.whenEnded(() -> timer.cancel(false));
            core.tcpConnections().acquire(call, () -> sendTcp(call, loop));
        } else {
            sendUdp(call);
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    private void sendTcp(ClientExchange<?> call, EventLoop loop) {
        long remaining = call.deadlineNanos() - System.nanoTime();
        long connectMillis = Math.max(1, Math.min(options.connectTimeout().toMillis(),
                TimeUnit.NANOSECONDS.toMillis(remaining)));
        Bootstrap b = tcpTemplate.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectMillis))
                .handler(new TcpClientHandler(this, call, options.maxResponseSize()));
        ChannelFuture connect;
        try {
            connect = b.connect(call.target());
        } catch (RejectedExecutionException e) {
            call.failClosed();
            return;
        }
        Channel ch = connect.channel();
        track(ch);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(connectError(call, f.cause()));
            }
        });
        // Whatever ends the call (reply, timeout, error, its caller, client close) also ends its connection.
        call.whenEnded(ch::close);
        if (closed) {
            call.failClosed();
        }
    }

    private void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(untrack);
    }

    private static RuntimeException connectError(ClientExchange<?> call, Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new RaidaTimeoutException("connecting to " + call.describe() + " timed out: " + cause.getMessage());
        }
        return new RaidaTransportException("cannot connect to " + call.describe() + ": " + cause.getMessage(), cause);
    }

    private void sendUdp(ClientExchange<?> call) {
        Channel bound0 = udpBound;
        if (bound0 != null && bound0.eventLoop().inEventLoop()) {
            // already on the socket's loop (a reply's callback sending the next request): start here,
            // without a listener on the bind future and a task hop per call
            startUdp(bound0, call);
            return;
        }
        ChannelFuture bound;
        try {
            bound = udpChannel();
        } catch (RejectedExecutionException e) {
            call.failClosed();
            return;
        }
        bound.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(new RaidaTransportException("cannot open the client UDP socket: " + f.cause().getMessage(),
                        f.cause()));
                return;
            }
            Channel ch = f.channel();
            udpBound = ch;
            try {
                ch.eventLoop().execute(() -> startUdp(ch, call));
            } catch (RejectedExecutionException e) {
                call.failClosed();
            }
        });
    }

    /** Event loop of the UDP socket: registers and sends the call unless the client is closed. */
    private void startUdp(Channel ch, ClientExchange<?> call) {
        if (closed) {
            call.failClosed();
        } else {
            udpHandler.start(ch, call);
        }
    }

    /** A raw UDP exchange on its own connected socket, so a dropped frame cannot take another's reply. */
    private void sendRawUdp(ClientExchange<byte[]> call) {
        ChannelFuture connect;
        EventLoop loop;
        try {
            loop = affinity.choose(call);
            connect = new Bootstrap()
                    .group(loop)
                    .channel(io.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(udpReceiveSize()))
                    .handler(new RawUdpClientHandler(call))
                    .connect(call.target());
        } catch (RejectedExecutionException e) {
            call.failClosed();
            return;
        }
        Channel ch = connect.channel();
        track(ch);
        io.netty.util.concurrent.Future<?> timer = loop.schedule(() -> call.timedOut(), Math.max(0,
                call.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        call.whenEnded(() -> {
            timer.cancel(false);
            ch.close();
        });
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(new RaidaTransportException("cannot open a UDP socket to " + call.describe() + ": "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            ByteBuf buf = f.channel().alloc().ioBuffer(call.frameLength()).writeBytes(call.frameBuffer());
            f.channel().writeAndFlush(buf).addListener((ChannelFutureListener) w -> {
                if (!w.isSuccess()) {
                    call.fail(new RaidaTransportException("sending the UDP frame to " + call.describe() + " failed: "
                            + w.cause().getMessage(), w.cause()));
                }
            });
        });
        if (closed) {
            call.failClosed();
        }
    }

    /** Receive buffer for one datagram: the largest UDP payload, or maxResponseSize + 1 (to spot larger ones). */
    private int udpReceiveSize() {
        return (int) Math.min(65_536, options.maxResponseSize() + 1L);
    }

    /** The shared UDP socket, bound on first use (asynchronously: callers may be on an event loop). */
    private synchronized ChannelFuture udpChannel() {
        if (udpChannel == null) {
            udpChannel = new Bootstrap()
                    .group(group)
                    .channel(io.datagramChannel())
                    // the NIO client's size: a fan-out's replies arrive as a burst
                    .option(ChannelOption.SO_RCVBUF, UdpSocketBuffers.RECEIVE)
                    // Netty's default 2 048-byte receive buffer would truncate larger replies (a 14/4 page is 17 442 bytes).
                    // An allocator set as an option keeps its own messages-per-read (1), not the channel's default
                    // (16): without it every datagram costs a trip through the event loop (epoll wait, task run)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(udpReceiveSize())
                            .maxMessagesPerRead(UDP_MESSAGES_PER_READ))
                    .handler(udpHandler)
                    .bind(0);
        }
        return udpChannel;
    }

    /** The shared UDP socket once bound, else null (tests look at its configuration). */
    Channel udpSocket() {
        return udpBound;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        ChannelFuture udp;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            udp = udpChannel;
        }
        if (isOwnEventLoop()) {
            // Called from a future callback: waiting here would block (and trip Netty's deadlock check)
            // on the very loop that must do the work, so close without waiting.
            closeWithoutWaiting(udp);
            return;
        }
        if (udp != null) {
            udp.awaitUninterruptibly(2, TimeUnit.SECONDS);
            if (udp.isSuccess()) {
                Channel ch = udp.channel();
                try {
                    ch.eventLoop().submit(() -> udpHandler.failAll())
                            .awaitUninterruptibly(2, TimeUnit.SECONDS);
                } catch (RejectedExecutionException ignored) {
                    // loop already gone: nothing is waiting on it
                }
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private boolean isOwnEventLoop() {
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** {@link #close()} on one of this client's loops: the same steps, queued instead of awaited. */
    private void closeWithoutWaiting(ChannelFuture udp) {
        if (udp != null) {
            // listeners run on the UDP channel's own loop, where the handler's state lives
            udp.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    udpHandler.failAll();
                    f.channel().close();
                }
            });
        }
        for (Channel ch : channels) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "NettyRaidaClient[" + io.name() + (closed ? ", closed" : "") + "]";
    }
}
