package io.raida.transport.nio;

import io.raida.protocol.internal.AbstractRaidaServer;
import io.raida.protocol.internal.ClassPreloader;
import io.raida.protocol.internal.PortReservation;
import io.raida.protocol.internal.UdpSocketBuffers;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.transport.ConnectionLimits;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.Timeouts;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RAIDA X server on {@code java.nio}: TCP and UDP on one port, {@link ServerOptions#ioThreads()}
 * selector threads. All protocol work (validation, dispatch to the bounded worker pool, replies) is
 * done by the core's {@link ServerDispatcher}; this class holds sockets, loops, deadlines and closing.
 *
 * <pre>{@code
 * ServerCore core = ServerCore.builder().raidaId(14).build();
 * try (RaidaServer server = NioRaidaServer.create(core, ServerOptions.builder().port(50014).build()).start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>TCP: one request per connection, closed after the reply; header and body must arrive within
 * {@link Timeouts#readTimeout()} of accept, a connection without progress for
 * {@link Timeouts#idleTimeout()} is closed; beyond {@link ConnectionLimits#maxConnections()} new
 * connections are accepted and closed at once. UDP: see {@link UdpEndpoint}.
 */
public final class NioRaidaServer extends AbstractRaidaServer<NioRaidaServer> {
    private static final Logger LOG = LoggerFactory.getLogger(NioRaidaServer.class);
    private static final int BIND_ATTEMPTS = 32;
    private static final int BACKLOG = 4_096;

    ServerDispatcher dispatcher;
    private ServerLoop[] loops;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger nextLoop = new AtomicInteger();
    volatile boolean stopRequested;
    /** A fatal error: every loop stops at once and closes its sockets. */
    volatile boolean failed;
    private boolean workersStopped;
    private boolean started;
    private boolean keepAliveTuning;
    private boolean keepAliveOnListener;
    /** Every loop accepts on its own listener (an {@code SO_REUSEPORT} group): no hand-off to another loop. */
    boolean listenerPerLoop;
    private final Object lifecycle = new Object();

    private NioRaidaServer(ServerCore core, ServerOptions options) {
        super(core, options);
    }

    @Override
    protected NioRaidaServer self() {
        return this;
    }

    /**
     * A server for {@code core}, configured by {@code options}; call {@link #start()} to bind.
     *
     * @param core the protocol core that answers every request
     * @param options host, port, threads and limits of the server
     * @return a server not yet bound; nothing listens until {@link #start()}
     */
    public static NioRaidaServer create(ServerCore core, ServerOptions options) {
        return new NioRaidaServer(core, options);
    }

    /**
     * A server with {@link ServerOptions#defaults()} (127.0.0.1, ephemeral port).
     *
     * @param core the protocol core that answers every request
     * @return a server not yet bound; nothing listens until {@link #start()}
     */
    public static NioRaidaServer create(ServerCore core) {
        return new NioRaidaServer(core, ServerOptions.defaults());
    }

    @Override
    public NioRaidaServer start() throws IOException {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("server already started");
            }
            started = true;
            InetAddress host = options.bindAddress();
            int n = options.ioThreads();
            // one UDP socket and one TCP listener per loop where the kernel balances a group of them
            int sockets = n > 1 && PortReservation.REUSE_PORT_BALANCED ? n : 1;
            listenerPerLoop = sockets > 1;
            if (n > 1 && !PortReservation.REUSE_PORT_BALANCED) {
                LOG.info("SO_REUSEPORT is not available on this platform: one UDP socket (read by one of the {} I/O "
                        + "threads) and one TCP listener handing connections to all of them", n);
            }
            ServerSocketChannel[] tcp = new ServerSocketChannel[options.tcpEnabled() ? sockets : 0];
            DatagramChannel[] udp = new DatagramChannel[options.udpEnabled() ? sockets : 0];
            for (int attempt = 1; ; attempt++) {
                try {
                    int port = options.port();
                    if (sockets > 1) {
                        port = PortReservation.reserve(host, port, options.tcpEnabled(), options.udpEnabled());
                    }
                    for (int i = 0; i < tcp.length; i++) {
                        tcp[i] = ServerSocketChannel.open(PortReservation.family(host));
                        tcp[i].setOption(StandardSocketOptions.SO_REUSEADDR, true);
                        if (sockets > 1) {
                            tcp[i].setOption(StandardSocketOptions.SO_REUSEPORT, true);
                        }
                        tcp[i].bind(new InetSocketAddress(host, port), BACKLOG);
                        tcp[i].configureBlocking(false);
                        port = ((InetSocketAddress) tcp[i].getLocalAddress()).getPort();
                    }
                    for (int i = 0; i < udp.length; i++) {
                        udp[i] = DatagramChannel.open(PortReservation.family(host));
                        trySet(udp[i], StandardSocketOptions.SO_RCVBUF, UdpSocketBuffers.RECEIVE);
                        trySet(udp[i], StandardSocketOptions.SO_SNDBUF, UdpSocketBuffers.SEND);
                        if (sockets > 1) {
                            udp[i].setOption(StandardSocketOptions.SO_REUSEPORT, true);
                        }
                        udp[i].bind(new InetSocketAddress(host, port));
                        udp[i].configureBlocking(false);
                        port = ((InetSocketAddress) udp[i].getLocalAddress()).getPort();
                    }
                    if (sockets > 1) {
                        PortReservation.confirmAlone(host, port, tcp.length, udp.length);
                    }
                    localAddress = new InetSocketAddress(host, port);
                    break;
                } catch (BindException e) {
                    closeAll(tcp);
                    closeAll(udp);
                    // port 0: TCP got a free port that UDP already uses; try another one
                    if (options.port() != 0 || attempt >= BIND_ATTEMPTS) {
                        throw new BindException("cannot bind " + options.host() + ":" + options.port()
                                + " for " + protocols() + ": " + e.getMessage());
                    }
                } catch (IOException | RuntimeException e) {
                    closeAll(tcp);
                    closeAll(udp);
                    throw e;
                }
            }
            if (tcp.length > 0 && options.keepAlive()) {
                keepAliveOnListener = true;
                for (ServerSocketChannel listener : tcp) {
                    keepAliveOnListener &= tuneListenerKeepAlive(listener);
                }
                keepAliveTuning = !keepAliveOnListener && supportsKeepAliveTuning();
            }
            int port = localAddress.getPort();
            dispatcher = ServerDispatcher.start(core, options, "raida-nio-worker-" + port);
            // every class the loops may need later is loaded now, while a descriptor can still be opened
            ClassPreloader.preload(NioRaidaServer.class, "io.raida.transport.nio");
            loops = new ServerLoop[n];
            try {
                for (int i = 0; i < loops.length; i++) {
                    loops[i] = new ServerLoop(this, i, Selector.open());
                }
                for (int i = 0; i < tcp.length; i++) {
                    ServerLoop l = loops[i];
                    l.listener = tcp[i];
                    l.listenerKey = tcp[i].register(l.selector, SelectionKey.OP_ACCEPT, tcp[i]);
                }
                for (int i = 0; i < udp.length; i++) {
                    // a lone UDP socket goes to the second loop so the first one's accepts do not delay datagrams
                    ServerLoop l = loops[udp.length == 1 && loops.length > 1 ? 1 : i];
                    l.udp = new UdpEndpoint(l, dispatcher, udp[i], options.connectionLimits().udpPayloadThreshold());
                    l.udp.key = udp[i].register(l.selector, SelectionKey.OP_READ, l.udp);
                }
            } catch (IOException | RuntimeException e) {
                closeAll(tcp);
                closeAll(udp);
                for (ServerLoop l : loops) {
                    if (l != null) {
                        closeQuietly(l.selector);
                    }
                }
                dispatcher.shutdown(Duration.ZERO);
                throw e;
            }
            for (ServerLoop l : loops) {
                l.thread = new Thread(l, "raida-nio-io-" + port + "-" + l.index);
                l.thread.start();
            }
            markRunning();
            LOG.info("RAIDA {} NIO server listening on {}:{} ({}), {} I/O thread(s){}, {} workers, {}", core.raidaId(),
                    localAddress.getAddress().getHostAddress(), port, protocols(), loops.length,
                    loops.length == ServerOptions.defaultIoThreads() ? " (= the default: the processors, at most "
                            + ServerOptions.MAX_DEFAULT_IO_THREADS + ")" : "", options.workerPools().workerThreads(),
                    sockets > 1 ? "a socket per I/O thread (SO_REUSEPORT)" : "one socket per protocol");
            return this;
        }
    }

    /**
     * A fatal error on an I/O loop: every loop stops at once and closes its sockets (the port is
     * released), then the server is FAILED and its listeners are told. Called by the failing loop
     * after it closed its own sockets. Never throws.
     */
    void fail(Throwable cause) {
        if (!markFailed(cause)) {
            return;
        }
        failed = true;
        try {
            LOG.error("RAIDA {} NIO server on port {} failed; closing its sockets so a supervisor can restart it",
                    core.raidaId(), localAddress.getPort(), cause);
        } catch (Throwable logFailed) {
            // out of memory again: the state and the listeners still tell
        }
        ServerLoop[] ls = loops;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ServerLoop l : ls) {
            l.wakeup();
        }
        for (ServerLoop l : ls) {
            if (l.thread != Thread.currentThread()) {
                join(l.thread, deadline);
            }
        }
        notifyFailure();
    }

    /**
     * Stops accepting (the listener closes, UDP reading stops), lets in-flight requests finish up to
     * {@link Timeouts#shutdownTimeout()}, then closes every socket and ends every thread.
     *
     * @throws IllegalStateException if called on one of this server's own I/O threads (e.g. from a
     *                               non-blocking handler), which close() would wait for
     */
    @Override
    public void close() {
        // checked before taking the lock: an I/O thread waiting for it would stall a close() on another thread
        ServerLoop[] ls = loops;
        if (ls != null) {
            for (ServerLoop l : ls) {
                if (l != null && l.thread == Thread.currentThread()) {
                    throw new IllegalStateException("close() waits for in-flight requests and cannot run on the "
                            + "server's own I/O thread; call it from another thread");
                }
            }
        }
        synchronized (lifecycle) {
            if (failed) {
                // the loops closed their sockets when the server failed; the workers remain
                if (!workersStopped) {
                    workersStopped = true;
                    dispatcher.shutdown(Duration.ZERO);
                }
                return;
            }
            if (!isRunning() || stopRequested) {
                return; // never started, failed to start, or already closed
            }
            markClosed();
            stopRequested = true;
            long deadline = System.nanoTime() + options.timeouts().shutdownTimeout().toNanos()
                    + TimeUnit.SECONDS.toNanos(2);
            for (ServerLoop l : loops) {
                l.wakeup();
            }
            for (ServerLoop l : loops) {
                join(l.thread, deadline);
            }
            dispatcher.shutdown(Duration.ofMillis(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            for (ServerLoop l : loops) {
                if (l.thread.isAlive()) {
                    l.thread.interrupt();
                    join(l.thread, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                }
            }
            LOG.info("RAIDA {} NIO server on port {} closed: {}", core.raidaId(), localAddress.getPort(),
                    core.stats());
        }
    }

    // ---------------------------------------------------------------- shared by the loops

    boolean tryOpenConnection() {
        while (true) {
            int n = open.get();
            if (n >= options.connectionLimits().maxConnections()) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                dispatcher.recordConnectionOpened();
                return true;
            }
        }
    }

    void connectionClosed() {
        open.decrementAndGet();
        dispatcher.recordConnectionClosed();
    }

    ServerLoop nextLoop() {
        ServerLoop[] ls = loops;
        return ls.length == 1 ? ls[0] : ls[Math.floorMod(nextLoop.getAndIncrement(), ls.length)];
    }

    /**
     * Accepted-socket options of transport.md §2.2. The keep-alive timers are set once on the
     * listener when the platform allows it (Linux copies them into every accepted socket), which
     * saves three system calls per connection; SO_KEEPALIVE itself cannot be set on a listener.
     */
    void configureAccepted(SocketChannel ch) throws IOException {
        if (options.keepAlive()) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (keepAliveTuning) {
                ch.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
                ch.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
                ch.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 5);
            }
        }
    }

    private static boolean tuneListenerKeepAlive(ServerSocketChannel listener) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !listener.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                || !listener.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                || !listener.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPCOUNT)) {
            return false;
        }
        try {
            listener.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
            listener.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
            listener.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 5);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot set keep-alive timers on the listener: {}", e.toString());
            return false;
        }
    }

    private static boolean supportsKeepAliveTuning() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                    && probe.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                    && probe.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPCOUNT);
        } catch (IOException | RuntimeException e) {
            LOG.warn("TCP keep-alive tuning unavailable ({}); using the system's keep-alive timers", e.toString());
            return false;
        }
    }

    private String protocols() {
        return options.tcpEnabled() && options.udpEnabled() ? "tcp+udp" : options.tcpEnabled() ? "tcp" : "udp";
    }

    private static <T> void trySet(DatagramChannel ch, SocketOption<T> opt, T value) {
        try {
            ch.setOption(opt, value);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot set {}: {}", opt, e.toString());
        }
    }

    private static void join(Thread t, long deadlineNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        try {
            t.join(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(Closeable[] channels) {
        for (int i = 0; i < channels.length; i++) {
            closeQuietly(channels[i]);
            channels[i] = null;
        }
    }

    /** The remote address of an accepted, still open channel; null if it cannot be read. */
    static InetSocketAddress remoteOf(SocketChannel ch) {
        try {
            return (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.trace("close: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "NioRaidaServer[" + (localAddress == null ? options.host() + ":" + options.port() : localAddress) + ", "
                + (isRunning() ? "running" : "stopped") + "]";
    }
}
