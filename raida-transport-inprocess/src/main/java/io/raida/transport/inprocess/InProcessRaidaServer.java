package io.raida.transport.inprocess;

import io.raida.protocol.internal.AbstractRaidaServer;
import io.raida.protocol.server.DatagramReceiver;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.server.ServerExchange;
import io.raida.protocol.transport.ConnectionLimits;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RAIDA X server inside the JVM, reached by {@link InProcessRaidaClient} through a port number in
 * a process-wide table instead of a socket. It drives the core exactly as the socket transports do
 * ({@link ServerDispatcher}: same validation, dispatch, worker pool, 252/254, stats), so tests of code
 * that embeds {@code RaidaServer}/{@code RaidaClient} run fast and without ports. A stream request
 * is one whole frame; a datagram longer than {@link ConnectionLimits#udpPayloadThreshold()} is
 * truncated to it as a socket's receive buffer would (D-22).
 */
public final class InProcessRaidaServer extends AbstractRaidaServer<InProcessRaidaServer> {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessRaidaServer.class);
    /** Bound servers by port: the in-process "network". */
    private static final Map<Integer, InProcessRaidaServer> BOUND = new ConcurrentHashMap<>();
    private static final int FIRST_EPHEMERAL = 49_152;

    private final Map<InetSocketAddress, Consumer<byte[]>> datagramPeers = new ConcurrentHashMap<>();
    private final Object shutdown = new Object();
    private ServerDispatcher dispatcher;
    private DatagramReceiver receiver;
    private boolean started;

    private InProcessRaidaServer(ServerCore core, ServerOptions options) {
        super(core, options);
    }

    @Override
    protected InProcessRaidaServer self() {
        return this;
    }

    /**
     * A server for {@code core} (not yet started).
     *
     * @param core the protocol core that answers every request
     * @param options the server's options; its host and port name the in-process address
     * @return a server not yet registered; clients reach it only after {@link #start()}
     */
    public static InProcessRaidaServer create(ServerCore core, ServerOptions options) {
        return new InProcessRaidaServer(core, options);
    }

    /** The server "bound" to {@code port}, or null. */
    static InProcessRaidaServer at(int port) {
        return BOUND.get(port);
    }

    @Override
    public synchronized InProcessRaidaServer start() throws IOException {
        if (started) {
            throw new IllegalStateException("server already started");
        }
        started = true;
        options.bindAddress(); // the same host rules as the socket transports, though nothing is bound
        int port = bindPort();
        dispatcher = ServerDispatcher.start(core, options, "raida-inprocess-worker-" + port);
        receiver = dispatcher.newDatagramReceiver(new DatagramSink());
        localAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        markRunning();
        LOG.info("RAIDA {} in-process server on port {}", core.raidaId(), port);
        return this;
    }

    private int bindPort() throws BindException {
        if (options.port() != 0) {
            if (BOUND.putIfAbsent(options.port(), this) != null) {
                throw new BindException("in-process port " + options.port() + " is already in use");
            }
            return options.port();
        }
        for (int p = FIRST_EPHEMERAL; p <= 65_535; p++) {
            if (BOUND.putIfAbsent(p, this) == null) {
                return p;
            }
        }
        throw new BindException("no free in-process port");
    }

    /**
     * One TCP request: the whole frame as one read. {@code onReply} gets the reply, or {@code null}
     * when the server closes without one (an incomplete request, the JVM failing in the handler).
     */
    void stream(byte[] frame, InetSocketAddress from, Consumer<byte[]> onReply) {
        if (!options.tcpEnabled()) {
            onReply.accept(null);
            return;
        }
        if (!dispatcher.admitConnection(from)) { // per-source limits: closed without a reply, as on a socket
            onReply.accept(null);
            return;
        }
        dispatcher.recordConnectionOpened();
        dispatcher.recordLoopActivity(0);
        ServerExchange ex = dispatcher.newStreamExchange(from, new StreamSink(onReply), System.nanoTime());
        ex.feed(ByteBuffer.wrap(frame), false);
        if (ex.isReading()) {
            // a socket server would wait for the rest until its read deadline: nothing more can come here
            ex.abandon();
            dispatcher.recordTimeout();
            dispatcher.releaseConnection(from);
            dispatcher.recordConnectionClosed();
            onReply.accept(null);
            return;
        }
        ex.dispatch();
    }

    /** One datagram from {@code from}; replies to that address go to {@code onReply} while it is registered. */
    void datagram(byte[] frame, InetSocketAddress from, Consumer<byte[]> onReply) {
        if (!options.udpEnabled()) {
            return;
        }
        datagramPeers.put(from, onReply);
        int threshold = options.connectionLimits().udpPayloadThreshold();
        boolean truncated = frame.length > threshold;
        ByteBuffer b = ByteBuffer.wrap(frame, 0, truncated ? threshold : frame.length);
        dispatcher.recordLoopActivity(0);
        synchronized (receiver) { // one "socket", read by one thread at a time
            receiver.receive(b, from, truncated);
        }
    }

    /** The client end of a datagram exchange is gone: later replies to it are lost, as on a network. */
    void forget(InetSocketAddress peer) {
        datagramPeers.remove(peer);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!isRunning()) {
                return;
            }
            markClosed();
            BOUND.remove(localAddress.getPort(), this);
        }
        long deadline = System.nanoTime() + options.timeouts().shutdownTimeout().toNanos();
        synchronized (shutdown) {
            while (dispatcher.inFlight() > 0 && System.nanoTime() - deadline < 0) {
                try {
                    // woken by each reply; the worker's own count drops just after it, hence the short bound
                    shutdown.wait(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        dispatcher.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        datagramPeers.clear();
        LOG.info("RAIDA {} in-process server on port {} closed: {}", core.raidaId(), localAddress.getPort(),
                core.stats());
    }

    private void replied() {
        synchronized (shutdown) {
            shutdown.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "InProcessRaidaServer[" + (localAddress == null ? "port " + options.port() : localAddress) + ", "
                + (isRunning() ? "running" : "stopped") + "]";
    }

    /** The reply of one stream exchange goes straight to its caller. */
    private final class StreamSink implements ReplySink {
        private final Consumer<byte[]> onReply;

        StreamSink(Consumer<byte[]> onReply) {
            this.onReply = onReply;
        }

        @Override
        public void send(ServerExchange exchange, byte[] reply) {
            dispatcher.releaseConnection(exchange.remoteAddress());
            dispatcher.recordConnectionClosed();
            onReply.accept(reply);
            replied();
        }

        @Override
        public void close(ServerExchange exchange) {
            dispatcher.releaseConnection(exchange.remoteAddress());
            dispatcher.recordConnectionClosed();
            onReply.accept(null);
            replied();
        }

        @Override
        public boolean isOpen(ServerExchange exchange) {
            return true;
        }
    }

    /** Replies to datagrams go to whichever client end holds the sender address. */
    private final class DatagramSink implements ReplySink {
        @Override
        public void send(ServerExchange exchange, byte[] reply) {
            Consumer<byte[]> peer = datagramPeers.get(exchange.remoteAddress());
            if (peer != null) {
                peer.accept(reply);
            }
            replied();
        }

        @Override
        public void close(ServerExchange exchange) {
            replied();
        }

        @Override
        public boolean isOpen(ServerExchange exchange) {
            return true;
        }
    }
}
