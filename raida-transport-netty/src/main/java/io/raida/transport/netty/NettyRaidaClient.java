package io.raida.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.UdpEchoRegistry;
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
 * request. TCP opens a connection per request (the server answers once and closes); UDP shares one
 * socket and matches replies by source and content. Futures complete on an event-loop thread; do
 * not block in their callbacks.
 *
 * <pre>{@code
 * try (RaidaClient client = NettyRaidaClient.create(ClientOptions.defaults())) {
 *     RaidaResponse r = client.send(raida, RequestBuilder.command(14, 0, 0).build(), Transport.UDP).join();
 * }
 * }</pre>
 */
public final class NettyRaidaClient implements RaidaClient {
    private final ClientOptions options;
    private final NettyIo io;
    private final EventLoopGroup group;
    private final Bootstrap tcpTemplate;
    private final Set<Channel> tcpChannels = ConcurrentHashMap.newKeySet();
    private final ChannelFutureListener untrack = f -> tcpChannels.remove(f.channel());
    private final UdpClientHandler udpHandler = new UdpClientHandler();
    private final UdpEchoRegistry echoes = new UdpEchoRegistry();
    private ChannelFuture udpChannel;
    private volatile boolean closed;

    private NettyRaidaClient(ClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.io = NettyIo.select(options.preferNativeTransport());
        this.group = io.newGroup(options.ioThreads(), "raida-netty-client");
        this.tcpTemplate = new Bootstrap()
                .group(group)
                .channel(io.socketChannel());
    }

    /** A client with its own event loop group ({@link ClientOptions#ioThreads()} threads). */
    public static NettyRaidaClient create(ClientOptions options) {
        return new NettyRaidaClient(options);
    }

    /** A client with default options. */
    public static NettyRaidaClient create() {
        return create(ClientOptions.defaults());
    }

    /** True when this client runs on native epoll rather than NIO event loops. */
    public boolean isNativeTransport() {
        return io.isEpoll();
    }

    @Override
    public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        Objects.requireNonNull(request, "request");
        InetSocketAddress target = checkTarget(raida);
        long nanos = timeoutNanos(timeout);
        ClientRequest sent;
        try {
            sent = transport == Transport.UDP ? echoes.claim(target, request) : request;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ClientCall<RaidaResponse> call = ClientCall.parsed(target, sent, nanos);
        if (transport == Transport.UDP) {
            call.future.whenComplete((r, e) -> echoes.release(target, sent));
        }
        dispatch(call, sent.frame(), transport);
        return call.future;
    }

    @Override
    public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                              Duration timeout) {
        Objects.requireNonNull(frame, "frame");
        ClientCall<byte[]> call = ClientCall.raw(checkTarget(raida), timeoutNanos(timeout));
        dispatch(call, frame.clone(), transport);
        return call.future;
    }

    private static InetSocketAddress checkTarget(InetSocketAddress raida) {
        Objects.requireNonNull(raida, "raida");
        return raida;
    }

    private long timeoutNanos(Duration timeout) {
        Duration d = timeout == null ? options.timeout() : timeout;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + d);
        }
        return d.toNanos();
    }

    private void dispatch(ClientCall<?> call, byte[] frame, Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (closed) {
            call.fail(new RaidaTransportException("the RAIDA client is closed"));
        } else if (call.target.isUnresolved()) {
            call.fail(new RaidaTransportException("cannot resolve RAIDA host " + call.target.getHostString()));
        } else if (transport == Transport.TCP) {
            sendTcp(call, frame);
        } else {
            sendUdp(call, frame);
        }
    }

    private void sendTcp(ClientCall<?> call, byte[] frame) {
        EventLoop loop;
        try {
            loop = group.next();
        } catch (RejectedExecutionException e) {
            call.fail(new RaidaTransportException("the RAIDA client is closed"));
            return;
        }
        long connectMillis = Math.max(1, Math.min(options.connectTimeout().toMillis(),
                TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos)));
        Bootstrap b = tcpTemplate.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectMillis))
                .handler(new TcpExchangeHandler(this, call, frame, options.maxResponseSize()));
        try {
            // Armed before connecting so a connect that fails at once still finds it to cancel.
            call.timer = loop.schedule(() -> call.fail(new RaidaTimeoutException("no complete TCP reply from "
                    + call.describe() + " within " + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos) + " ms")),
                    call.timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.fail(new RaidaTransportException("the RAIDA client is closed"));
            return;
        }
        ChannelFuture connect;
        try {
            connect = b.connect(call.target);
        } catch (RejectedExecutionException e) {
            call.fail(new RaidaTransportException("the RAIDA client is closed"));
            return;
        }
        Channel ch = connect.channel();
        tcpChannels.add(ch);
        ch.closeFuture().addListener(untrack);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(connectError(call, f.cause()));
            }
        });
        // Whatever ends the call (reply, timeout, error, client close) also ends its connection.
        call.future.whenComplete((r, e) -> ch.close());
        if (closed) {
            call.fail(ClientCall.closedError());
        }
    }

    private static RuntimeException connectError(ClientCall<?> call, Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new RaidaTimeoutException("connecting to " + call.describe() + " timed out: " + cause.getMessage());
        }
        return new RaidaTransportException("cannot connect to " + call.describe() + ": " + cause.getMessage(), cause);
    }

    private void sendUdp(ClientCall<?> call, byte[] frame) {
        ChannelFuture bound;
        try {
            bound = udpChannel();
        } catch (RejectedExecutionException e) {
            call.fail(new RaidaTransportException("the RAIDA client is closed"));
            return;
        }
        bound.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                call.fail(new RaidaTransportException("cannot open the client UDP socket: " + f.cause().getMessage(),
                        f.cause()));
                return;
            }
            Channel ch = f.channel();
            try {
                ch.eventLoop().execute(() -> {
                    if (closed) {
                        call.fail(ClientCall.closedError());
                    } else {
                        udpHandler.start(ch, call, frame);
                    }
                });
            } catch (RejectedExecutionException e) {
                call.fail(ClientCall.closedError());
            }
        });
    }

    /** The shared UDP socket, bound on first use (asynchronously: callers may be on an event loop). */
    private synchronized ChannelFuture udpChannel() {
        if (udpChannel == null) {
            udpChannel = new Bootstrap()
                    .group(group)
                    .channel(io.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .handler(udpHandler)
                    .bind(0);
        }
        return udpChannel;
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
                    ch.eventLoop().submit(() -> udpHandler.failAll(ClientCall.closedError()))
                            .awaitUninterruptibly(2, TimeUnit.SECONDS);
                } catch (RejectedExecutionException ignored) {
                    // loop already gone: nothing is waiting on it
                }
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        for (Channel ch : tcpChannels) {
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
                    udpHandler.failAll(ClientCall.closedError());
                    f.channel().close();
                }
            });
        }
        for (Channel ch : tcpChannels) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "NettyRaidaClient[" + io.name() + (closed ? ", closed" : "") + "]";
    }
}
