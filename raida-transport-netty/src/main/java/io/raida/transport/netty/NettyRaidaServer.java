package io.raida.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.raida.protocol.internal.AbstractRaidaServer;
import io.raida.protocol.internal.ClassPreloader;
import io.raida.protocol.internal.PortReservation;
import io.raida.protocol.internal.UdpSocketBuffers;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RAIDA X server on Netty: TCP and UDP on one port, driving a {@link ServerCore} exactly as the
 * NIO transport does and configured by the same {@link ServerOptions}, so switching transports is a
 * one-line change:
 *
 * <pre>{@code
 * RaidaServer server = NettyRaidaServer.create(core, ServerOptions.builder().port(50014).build()).start();
 * }</pre>
 *
 * <p>Uses native epoll when it is available and {@link ServerOptions#preferNativeTransport()} is set,
 * NIO event loops otherwise. On Linux every event-loop thread gets its own UDP socket and its own
 * TCP listener on the port ({@code SO_REUSEPORT}: the kernel spreads datagrams and connections over
 * them), and on epoll reads datagrams in batches with {@code recvmmsg}. Every protocol decision (validation, dispatch to the bounded worker pool or
 * inline, replies) is the core's {@link ServerDispatcher}; this class holds channels, loops,
 * deadlines and closing. Limits: read and idle deadlines, a connection cap (further connections
 * are accepted and closed at once), a bounded pool of UDP contexts; {@link #close()} stops
 * accepting, lets requests in flight finish up to the shutdown timeout and ends every thread.
 */
public final class NettyRaidaServer extends AbstractRaidaServer<NettyRaidaServer> {
    private static final Logger LOG = LoggerFactory.getLogger(NettyRaidaServer.class);
    /** Port-0 servers retry when the UDP side of the TCP port they were given is taken. */
    private static final int EPHEMERAL_BIND_ATTEMPTS = 16;
    /** Most datagrams one recvmmsg call may read on epoll. */
    private static final int MAX_UDP_BATCH = 32;
    /**
     * The recvmmsg buffer stays within the allocator's small size classes (≤ 16 KiB), so it is pooled
     * even in Netty's low-memory mode (heap ≤ 512 MiB), where larger buffers get a one-off chunk each.
     */
    private static final int UDP_BATCH_BYTES = 16 * 1024;
    /** Read calls per readiness event before the loop serves other channels. */
    private static final int MAX_MESSAGES_PER_READ = 64;
    /** Accepting pauses this long after accept() failed (e.g. out of file descriptors). */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;
    /** Connections accepted per readiness event of a listener (Netty's default for server channels is 1). */
    private static final int ACCEPTS_PER_READ = 16;

    private final NettyIo io;
    private final long readTimeoutNanos;
    private final long idleTimeoutNanos;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConnectionGate gate = new ConnectionGate();
    private final List<Channel> udpChannels = new ArrayList<>();

    private EventLoopGroup group;
    private ServerDispatcher dispatcher;
    private final java.util.Map<EventExecutor, Integer> loopIndex = new java.util.IdentityHashMap<>();
    private final List<Channel> tcpChannels = new ArrayList<>();
    /** Sockets per protocol: one per event loop in an {@code SO_REUSEPORT} group where the OS balances it. */
    private int sockets;
    private volatile boolean accepting;
    private boolean started;
    private boolean closed;

    private NettyRaidaServer(ServerCore core, ServerOptions options) {
        super(core, options);
        this.io = NettyIo.select(options.preferNativeTransport());
        this.readTimeoutNanos = options.timeouts().readTimeout().toNanos();
        this.idleTimeoutNanos = options.timeouts().idleTimeout().toNanos();
    }

    /**
     * A server for {@code core} (not yet started).
     *
     * @param core the protocol core that answers every request
     * @param options host, port, threads, native-transport preference and limits of the server
     * @return a server not yet bound; nothing listens until {@link #start()}
     */
    public static NettyRaidaServer create(ServerCore core, ServerOptions options) {
        return new NettyRaidaServer(core, options);
    }

    /**
     * True when this server runs on native epoll rather than NIO event loops.
     *
     * @return {@code true} on epoll, {@code false} when it fell back to NIO (not Linux, or the native library did not
     *         load)
     */
    public boolean isNativeTransport() {
        return io.isEpoll();
    }

    @Override
    public synchronized NettyRaidaServer start() throws IOException {
        if (started) {
            throw new IllegalStateException("server already started");
        }
        started = true;
        group = io.newGroup(options.ioThreads(), "raida-netty-io");
        sockets = options.ioThreads() > 1 && io.reusePort() != null ? options.ioThreads() : 1;
        if (options.ioThreads() > 1 && sockets == 1) {
            LOG.info("SO_REUSEPORT is not available on this platform: one UDP socket (read by one of the {} event "
                    + "loops) and one TCP listener handing connections to all of them", options.ioThreads());
        }
        dispatcher = ServerDispatcher.start(core, options, "raida-netty-worker");
        // every class the loops may need later is loaded now, while a descriptor can still be opened
        ClassPreloader.preload(NettyRaidaServer.class, "io.raida.transport.netty");
        int n = 0;
        for (EventExecutor loop : group) {
            loopIndex.put(loop, n++);
        }
        accepting = true;
        try {
            bind();
        } catch (IOException | RuntimeException | Error e) {
            accepting = false;
            closed = true;
            releaseResources(Duration.ZERO);
            throw e;
        }
        markRunning();
        for (EventExecutor loop : group) {
            // an event loop whose thread ended while the server runs would leave its channels unserved
            loop.terminationFuture().addListener(f -> {
                if (isRunning()) {
                    fail(new IllegalStateException("Netty event loop " + loop + " ended unexpectedly", f.cause()));
                }
            });
        }
        LOG.info("RAIDA {} listening on {} ({}{}{}, {} I/O thread(s){}, {} workers, {})", core.raidaId(),
                localAddress, io.name(), options.tcpEnabled() ? " tcp" : "", options.udpEnabled() ? " udp" : "",
                options.ioThreads(), options.ioThreads() == ServerOptions.defaultIoThreads()
                        ? " (= the default: the processors, at most " + ServerOptions.MAX_DEFAULT_IO_THREADS + ")" : "",
                options.workerPools().workerThreads(), sockets > 1 ? "a socket per I/O thread (SO_REUSEPORT)"
                        : "one socket per protocol");
        return this;
    }

    private void bind() throws IOException {
        InetAddress host = options.bindAddress();
        int attempts = options.port() == 0 && options.tcpEnabled() && options.udpEnabled() ? EPHEMERAL_BIND_ATTEMPTS : 1;
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            List<Channel> tcp = new ArrayList<>();
            List<Channel> udp = new ArrayList<>();
            try {
                int port = options.port();
                if (sockets > 1) {
                    port = PortReservation.reserve(host, port, options.tcpEnabled(), options.udpEnabled());
                }
                if (options.tcpEnabled()) {
                    port = bindTcp(host, port, tcp);
                }
                if (options.udpEnabled()) {
                    port = bindUdp(host, port, udp);
                }
                if (sockets > 1) {
                    PortReservation.confirmAlone(host, port, tcp.size(), udp.size());
                }
                tcpChannels.addAll(tcp);
                udpChannels.addAll(udp);
                localAddress = new InetSocketAddress(host, port);
                return;
            } catch (IOException e) {
                last = e;
                for (Channel c : tcp) {
                    c.close().awaitUninterruptibly();
                }
                for (Channel c : udp) {
                    c.close().awaitUninterruptibly();
                }
            }
        }
        throw new BindException("cannot bind " + (options.tcpEnabled() ? "TCP" : "")
                + (options.tcpEnabled() && options.udpEnabled() ? " and " : "") + (options.udpEnabled() ? "UDP" : "")
                + " on " + options.host() + ":" + options.port() + ": " + last.getMessage());
    }

    /**
     * Binds the TCP listener(s); returns the port (the kernel's choice when {@code port} is 0). With
     * a socket per loop every listener accepts for its own loop, so a connection is accepted,
     * registered and read on one thread without a hand-off.
     */
    private int bindTcp(InetAddress host, int port, List<Channel> bound) throws IOException {
        Iterator<EventExecutor> loops = group.iterator();
        for (int i = 0; i < sockets; i++) {
            EventLoopGroup loop = sockets > 1 ? (EventLoop) loops.next() : group;
            ServerBootstrap b = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(io.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // a burst of connections is accepted in one wake-up, not one per epoll_wait
                    .option(ChannelOption.RECVBUF_ALLOCATOR,
                            new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(ACCEPTS_PER_READ))
                    .handler(gate)
                    // half-closure is switched on per connection once its request is complete
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(
                                    new IdleStateHandler(true, 0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS),
                                    new TcpServerHandler(NettyRaidaServer.this));
                        }
                    });
            if (sockets > 1) {
                b.option(io.reusePort(), true);
            }
            boolean keepAliveOnListener = io.listenerOptions(b::option, options.keepAlive());
            if (!keepAliveOnListener) {
                b.childOption(ChannelOption.SO_KEEPALIVE, options.keepAlive());
                if (options.keepAlive()) {
                    io.keepAliveOptions(b::childOption);
                }
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            Channel ch = await(b.bind(address), "TCP", address);
            bound.add(ch);
            port = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        return port;
    }

    /** Binds the UDP socket(s); returns the port (the kernel's choice when {@code port} is 0). */
    private int bindUdp(InetAddress host, int port, List<Channel> bound) throws IOException {
        int threshold = options.connectionLimits().udpPayloadThreshold();
        int slot = threshold + 1;
        int batch = Math.max(1, Math.min(MAX_UDP_BATCH, UDP_BATCH_BYTES / slot));
        Iterator<EventExecutor> loops = group.iterator();
        for (int i = 0; i < sockets; i++) {
            // One socket per event loop, pinned to it, so every loop thread reads datagrams.
            EventLoop loop = (EventLoop) loops.next();
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(io.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, UdpSocketBuffers.RECEIVE)
                    .option(ChannelOption.SO_SNDBUF, UdpSocketBuffers.SEND)
                    .handler(new UdpServerHandler(this, dispatcher, threshold));
            if (io.isEpoll()) {
                // threshold + 1 bytes per datagram: a datagram that fills its slot was longer than allowed.
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
                        .option(ChannelOption.RECVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(slot * batch).maxMessagesPerRead(MAX_MESSAGES_PER_READ));
            } else {
                b.option(ChannelOption.RECVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(slot).maxMessagesPerRead(MAX_MESSAGES_PER_READ));
            }
            if (sockets > 1) {
                b.option(io.reusePort(), true);
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            Channel ch = await(b.bind(address), "UDP", address);
            bound.add(ch);
            port = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        return port;
    }

    private static Channel await(ChannelFuture f, String what, InetSocketAddress address) throws IOException {
        f.awaitUninterruptibly();
        if (f.isSuccess()) {
            return f.channel();
        }
        Throwable cause = f.cause();
        if (cause instanceof IOException) {
            throw new IOException(what + " bind on " + address + " failed: " + cause.getMessage(), cause);
        }
        throw new IOException(what + " bind on " + address + " failed: " + cause, cause);
    }

    @Override
    protected NettyRaidaServer self() {
        return this;
    }

    /**
     * A fatal error (a {@link VirtualMachineError} on an event loop, or a loop that ended):
     * closes every socket (the port is released), stops loops and workers, then the server is FAILED
     * and its listeners are told. The closing runs on a thread of its own, as it must wait for the
     * event loops; if none can be created (out of memory), channels are closed without waiting.
     * Never throws.
     */
    void fail(Throwable cause) {
        synchronized (this) {
            if (closed || !markFailed(cause)) {
                return;
            }
            closed = true;
        }
        accepting = false;
        try {
            LOG.error("RAIDA {} on {} failed; closing its sockets so a supervisor can restart it", core.raidaId(),
                    localAddress, cause);
        } catch (Throwable logFailed) {
            // out of memory again: the state and the listeners still tell
        }
        try {
            Thread t = new Thread(() -> {
                releaseResources(Duration.ZERO);
                notifyFailure();
            }, "raida-netty-failure");
            t.setDaemon(true);
            t.start();
        } catch (Throwable noThread) {
            for (Channel t : tcpChannels) {
                t.close();
            }
            for (Channel u : udpChannels) {
                u.close();
            }
            for (Channel c : connections) {
                c.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            notifyFailure();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks while it drains, so it must not be called on one of this server's event-loop threads
     * (e.g. from a non-blocking command handler).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!started || closed) {
                return;
            }
            for (EventExecutor loop : group) {
                if (loop.inEventLoop()) {
                    throw new IllegalStateException("close() waits for in-flight requests and cannot run on the "
                            + "server's own I/O thread; call it from another thread");
                }
            }
            closed = true;
            markClosed();
        }
        long deadline = System.nanoTime() + options.timeouts().shutdownTimeout().toNanos();
        accepting = false;
        for (Channel t : tcpChannels) {
            t.close().awaitUninterruptibly();
        }
        for (Channel u : udpChannels) {
            u.config().setAutoRead(false);
        }
        for (Channel c : connections) {
            c.pipeline().fireUserEventTriggered(TcpServerHandler.SERVER_CLOSING);
        }
        while ((inFlight.get() > 0 || dispatcher.inFlight() > 0) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("closing with {} request(s) still in flight after the shutdown timeout of {} ms", inFlight.get(),
                    options.timeouts().shutdownTimeout().toMillis());
        }
        releaseResources(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        LOG.info("RAIDA {} on {} closed: {}", core.raidaId(), localAddress, core.stats());
    }

    private void releaseResources(Duration workerGrace) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel c : connections) {
            closing.add(c.close());
        }
        for (Channel u : udpChannels) {
            closing.add(u.close());
        }
        for (Channel t : tcpChannels) {
            closing.add(t.close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        dispatcher.shutdown(workerGrace);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "NettyRaidaServer[" + (localAddress == null ? options.host() + ":" + options.port() : localAddress)
                + ", " + io.name() + (isRunning() ? ", running" : "") + "]";
    }

    ServerDispatcher dispatcher() {
        return dispatcher;
    }

    /** Counts a request served by the event loop {@code loop} in the per-loop stats. */
    void recordLoopActivity(EventExecutor loop) {
        Integer i = loopIndex.get(loop);
        if (i != null) {
            dispatcher.recordLoopActivity(i);
        }
    }

    /** A {@link VirtualMachineError}, also when Netty wrapped it (e.g. in a DecoderException). */
    static boolean isFatal(Throwable t) {
        for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
            if (t instanceof VirtualMachineError) {
                return true;
            }
        }
        return false;
    }

    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** Requests being processed or answered right now (TCP and UDP). */
    int inFlight() {
        return inFlight.get();
    }

    /** Open TCP connections (tests inspect their socket options). */
    Set<Channel> connections() {
        return connections;
    }

    /** UDP sockets bound on the port: one per event loop where SO_REUSEPORT groups are balanced, else one. */
    int udpSocketCount() {
        return udpChannels.size();
    }

    /**
     * First handler of the listening channel: enforces the connection cap before a child is
     * registered (further connections are accepted and closed at once) and keeps the connection
     * count in the stats.
     */
    @ChannelHandler.Sharable
    private final class ConnectionGate extends ChannelInboundHandlerAdapter {
        private final ChannelFutureListener closed = f -> {
            connections.remove(f.channel());
            openConnections.decrementAndGet();
            dispatcher.recordConnectionClosed();
        };

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            InetSocketAddress remote = (InetSocketAddress) child.remoteAddress();
            if (!dispatcher.admitConnection(remote)) { // per-source limits: counted and logged by the core
                child.unsafe().closeForcibly();
                return;
            }
            int open = openConnections.incrementAndGet();
            if (!accepting || open > options.connectionLimits().maxConnections()) {
                openConnections.decrementAndGet();
                dispatcher.releaseConnection(remote);
                dispatcher.recordRejectedConnection();
                child.unsafe().closeForcibly();
                return;
            }
            dispatcher.recordConnectionOpened();
            connections.add(child);
            // released before the open count drops, so a source is free again once it shows closed
            child.closeFuture().addListener(f -> dispatcher.releaseConnection(remote));
            child.closeFuture().addListener(closed);
            ctx.fireChannelRead(child);
        }

        /**
         * Accept failures (EMFILE, ENFILE, ENOBUFS) end here rather than at the pipeline's tail: counted,
         * logged at most once per interval, and accepting pauses briefly instead of spinning.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (isFatal(cause)) {
                fail(cause);
                return;
            }
            dispatcher.recordAcceptFailure(cause);
            Channel listener = ctx.channel();
            if (listener.config().isAutoRead()) {
                listener.config().setAutoRead(false);
                ctx.executor().schedule(() -> {
                    if (accepting) {
                        listener.config().setAutoRead(true);
                    }
                }, ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
