package io.raida.transport.nio;

import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.server.ServerExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread: a selector over (some of) the listener, the UDP channel and accepted connections.
 * Workers hand finished connections back through {@link #handBack} (a queue plus
 * {@link Selector#wakeup()}, the seed's eventfd and modification queue, but unbounded in entries so
 * nothing is ever lost: D-27). Deadlines are checked by a periodic sweep over the loop's
 * connections.
 */
final class ServerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLoop.class);
    /** Accepting pauses this long after accept() failed (e.g. out of file descriptors). */
    private static final long ACCEPT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The per-loop scratch buffer every TCP read goes through (package-private for tests). */
    static final int READ_BUFFER = 64 * 1024;
    /** Pause after a failed select() so a persistent failure does not spin the thread. */
    private static final long SELECT_RETRY_MILLIS = 10;

    private final NioRaidaServer server;
    private final ServerDispatcher dispatcher;
    final Selector selector;
    final int index;
    private final long readTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long sweepNanos;
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(READ_BUFFER);

    private final ConcurrentLinkedQueue<TcpConnection> finished = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Accepted> adopted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean udpFlushRequested;

    ServerSocketChannel listener;
    SelectionKey listenerKey;
    UdpEndpoint udp;

    private TcpConnection head;
    /** Channels whose key was cancelled since the last select: closed after the next one (see {@link #close}). */
    private ArrayDeque<SocketChannel> cancelled = new ArrayDeque<>();
    /** The second of the two deques swapped at every select. */
    private ArrayDeque<SocketChannel> deregistered = new ArrayDeque<>();
    /** Connections accepted in this round whose first read waits until the round's other events are done. */
    private final ArrayDeque<TcpConnection> fresh = new ArrayDeque<>();
    private int connections;
    private long now;
    private long nextSweep;
    private long acceptResumeAt;
    private boolean acceptPaused;
    /** select() failures survived so far (logged, not fatal: see {@link #selectFailed}). */
    private long selectFailures;
    private boolean stopping;
    private long stopDeadline;
    private Throwable fatal;
    Thread thread;

    ServerLoop(NioRaidaServer server, int index, Selector selector) {
        this.server = server;
        this.dispatcher = server.dispatcher;
        this.index = index;
        this.selector = selector;
        this.readTimeoutNanos = server.options().timeouts().readTimeout().toNanos();
        this.idleTimeoutNanos = server.options().timeouts().idleTimeout().toNanos();
        long shortest = Math.min(readTimeoutNanos, idleTimeoutNanos);
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(TimeUnit.MILLISECONDS.toNanos(100),
                shortest / 8));
    }

    private void selectFailed(IOException e) {
        selectFailures++;
        if (selectFailures == 1 || selectFailures % 1_000 == 0) {
            LOG.error("RAIDA server I/O loop {}: select failed ({} times so far), retrying", index, selectFailures, e);
        }
        try {
            Thread.sleep(SELECT_RETRY_MILLIS);
        } catch (InterruptedException ie) {
            // close() interrupts a loop past its deadline: keep the flag so the next select returns at once
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        now = System.nanoTime();
        nextSweep = now + sweepNanos;
        try {
            while (true) {
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - now) + 1);
                // every key cancelled before this select is deregistered by it
                ArrayDeque<SocketChannel> toClose = cancelled;
                cancelled = deregistered;
                deregistered = toClose;
                try {
                    if (finished.isEmpty() && adopted.isEmpty() && !udpFlushRequested && toClose.isEmpty()) {
                        selector.select(this::onKey, waitMs);
                    } else {
                        selector.selectNow(this::onKey);
                    }
                } catch (IOException e) {
                    // an epoll error is transient (EINTR-like, ENOMEM): ending the loop would leave its sockets
                    // unserved while isRunning() still says true, so log, pause briefly and select again
                    selectFailed(e);
                }
                closeDeregistered(toClose);
                wakeupPending.set(false);
                now = System.nanoTime();
                runHandOffs();
                readFresh();
                if (now - nextSweep >= 0) {
                    sweep();
                    nextSweep = now + sweepNanos;
                }
                if (server.stopRequested && !stopping) {
                    beginStop();
                }
                if (stopping && (isDrained() || now - stopDeadline >= 0) || server.failed) {
                    break;
                }
            }
        } catch (ClosedSelectorException e) {
            LOG.debug("selector closed");
        } catch (Throwable t) {
            // an Error here (OutOfMemoryError included) must not leave a loop-less server holding its port:
            // this loop closes its sockets, then the whole server fails
            fatal = t;
        } finally {
            try {
                closeAll();
            } catch (Throwable t) {
                // closing failed too (out of memory again): the server still has to fail as a whole
                if (fatal == null && !server.stopRequested) {
                    fatal = t;
                }
            }
        }
        if (fatal != null) {
            server.fail(fatal);
        }
    }

    // ---------------------------------------------------------------- cross-thread entry points

    /** Worker: the handler ran and the reply is in {@link TcpConnection#reply} (or none: close); the loop writes it. */
    void handBack(TcpConnection c) {
        finished.add(c);
        wakeup();
    }

    /** Another loop accepted a connection for this one. */
    void adopt(SocketChannel ch, InetSocketAddress remote) {
        adopted.add(new Accepted(ch, remote));
        wakeup();
    }

    /** An accepted connection on its way to the loop that serves it (its source already admitted). */
    private record Accepted(SocketChannel channel, InetSocketAddress remote) {
    }

    void requestUdpFlush() {
        udpFlushRequested = true;
        wakeup();
    }

    void wakeupIfStopping() {
        if (server.stopRequested) {
            wakeup();
        }
    }

    void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    // ---------------------------------------------------------------- event dispatch

    private void onKey(SelectionKey k) {
        Object a = k.attachment();
        try {
            if (a instanceof TcpConnection) {
                TcpConnection c = (TcpConnection) a;
                if (!k.isValid()) {
                    return;
                }
                if (c.phase == TcpConnection.Phase.READING && k.isReadable()) {
                    read(c);
                } else if (c.phase == TcpConnection.Phase.WRITING && k.isWritable()) {
                    write(c);
                } else if (c.phase == TcpConnection.Phase.DRAINING && k.isReadable()) {
                    drain(c);
                }
            } else if (a instanceof UdpEndpoint) {
                if (k.isValid() && k.isReadable()) {
                    udp.onReadable();
                }
                if (k.isValid() && k.isWritable()) {
                    udp.flush();
                }
            } else if (a == listener && k.isValid() && k.isAcceptable()) {
                acceptAll();
            }
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            // nothing a peer sends (nor a faulty datagram hook) may stop the loop
            LOG.warn("unexpected failure handling an I/O event; closing that connection", e);
            if (a instanceof TcpConnection) {
                close((TcpConnection) a);
            }
        }
    }

    private void runHandOffs() {
        Accepted a;
        while ((a = adopted.poll()) != null) {
            register(a.channel(), a.remote(), now);
        }
        TcpConnection c;
        while ((c = finished.poll()) != null) {
            if (c.shed && c.phase == TcpConnection.Phase.READING) {
                close(c);
            } else if (c.phase == TcpConnection.Phase.PROCESSING) {
                byte[] reply = c.reply;
                c.reply = null;
                if (reply == null) {
                    close(c);
                    continue;
                }
                try {
                    startWrite(c, reply);
                } catch (RuntimeException e) {
                    LOG.warn("unexpected failure writing a reply to {}; closing the connection", ip(c.remote), e);
                    close(c);
                }
            }
        }
        if (udpFlushRequested && udp != null) {
            udpFlushRequested = false;
            udp.flush();
        }
    }

    // ---------------------------------------------------------------- TCP accept

    private void acceptAll() {
        while (true) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // EMFILE, ENFILE, ENOBUFS: counted, logged at most once per interval, accepting pauses
                dispatcher.recordAcceptFailure(e);
                listenerKey.interestOps(0);
                acceptPaused = true;
                acceptResumeAt = now + ACCEPT_BACKOFF_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            InetSocketAddress remote = NioRaidaServer.remoteOf(ch);
            if (remote == null) { // closed by the peer already: nothing to serve, nothing admitted
                NioRaidaServer.closeQuietly(ch);
                continue;
            }
            if (!dispatcher.admitConnection(remote)) { // per-source limits: counted and logged by the core
                NioRaidaServer.closeQuietly(ch);
                continue;
            }
            if (!server.tryOpenConnection()) {
                dispatcher.releaseConnection(remote);
                dispatcher.recordRejectedConnection();
                NioRaidaServer.closeQuietly(ch);
                continue;
            }
            ServerLoop target = server.listenerPerLoop ? this : server.nextLoop();
            if (target == this) {
                register(ch, remote, now);
            } else {
                target.adopt(ch, remote);
            }
        }
    }

    private void register(SocketChannel ch, InetSocketAddress remote, long acceptNanos) {
        if (stopping) {
            discard(ch, remote);
            return;
        }
        TcpConnection c;
        try {
            ch.configureBlocking(false);
            server.configureAccepted(ch);
            c = new TcpConnection(this, ch, remote, acceptNanos);
            c.exchange = dispatcher.newStreamExchange(c.remote, c, acceptNanos);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not set up an accepted connection: {}", e.toString());
            discard(ch, remote);
            return;
        }
        link(c);
        dispatcher.recordLoopActivity(index);
        if (LOG.isTraceEnabled()) { // formatting the address allocates: not per connection when unused
            LOG.trace("connection from {}", ip(c.remote));
        }
        // A client sends its request just after the handshake, so at accept it has often not arrived
        // yet. Reading it after the other events of this round gives it time to, and spares more
        // connections a selector registration, which costs an empty read, epoll_ctl twice and one
        // more select before the channel can be closed.
        fresh.add(c);
    }

    /** First read of the connections accepted (or adopted) this round; those still empty wait on the selector. */
    private void readFresh() {
        TcpConnection c;
        while ((c = fresh.poll()) != null) {
            if (c.phase == TcpConnection.Phase.READING && c.key == null) {
                try {
                    read(c);
                } catch (RuntimeException | Error e) {
                    if (e instanceof VirtualMachineError vmError) {
                        throw vmError;
                    }
                    // user code cannot get here (the exchange answers its failures with 252): a transport bug
                    LOG.warn("unexpected failure reading a request; closing that connection", e);
                    close(c);
                }
            }
        }
    }

    /** Sets the connection's interest, registering it with the selector on first need. */
    private void interest(TcpConnection c, int ops) {
        SelectionKey k = c.key;
        if (k == null) {
            try {
                c.key = c.channel.register(selector, ops, c);
            } catch (IOException e) {
                close(c);
            }
        } else if (k.interestOps() != ops) {
            k.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------- TCP request

    /**
     * Reads whatever the socket holds into the loop's scratch buffer (one read in the common case,
     * where the whole request arrived with the connection) and feeds it to the exchange, which
     * consumes only what the request needs and, once it is complete, answers it (inline, or through a
     * worker that hands the reply back). Bytes after the request are never processed; the exchange
     * remembers them so closing does not send RST over the reply (D-23).
     */
    private void read(TcpConnection c) {
        ServerExchange ex = c.exchange;
        ByteBuffer b = readBuf;
        while (true) {
            b.clear();
            int n;
            try {
                n = c.channel.read(b);
            } catch (IOException e) {
                if (LOG.isTraceEnabled()) {
                    LOG.trace("read from {} failed: {}", ip(c.remote), e.toString());
                }
                close(c);
                return;
            }
            if (n < 0) {
                if (LOG.isTraceEnabled()) {
                    LOG.trace("{} closed before completing its request", ip(c.remote));
                }
                close(c);
                return;
            }
            if (n == 0) {
                interest(c, SelectionKey.OP_READ);
                return;
            }
            c.lastProgressNanos = now;
            b.flip();
            ex.feed(b, n == b.capacity());
            if (!ex.isReading()) {
                // the exchange owns the request now: a worker may run it, so the loop stops reading (D-26)
                c.phase = TcpConnection.Phase.PROCESSING;
                if (c.key != null) {
                    c.key.interestOps(0);
                }
                ex.dispatch();
                return;
            }
        }
    }

    /** Loop thread: the exchange's reply, written at once (inline commands, errors, 254). */
    void startWrite(TcpConnection c, byte[] reply) {
        c.phase = TcpConnection.Phase.WRITING;
        c.out = ByteBuffer.wrap(reply);
        c.lastProgressNanos = now;
        write(c);
    }

    private void write(TcpConnection c) {
        ByteBuffer out = c.out;
        try {
            if (c.channel.write(out) > 0) {
                c.lastProgressNanos = now;
            }
        } catch (IOException e) {
            if (LOG.isTraceEnabled()) {
                LOG.trace("write to {} failed: {}", ip(c.remote), e.toString());
            }
            close(c);
            return;
        }
        if (out.hasRemaining()) {
            interest(c, SelectionKey.OP_WRITE);
            return;
        }
        c.out = null;
        afterWrite(c);
    }

    /**
     * The reply is out; the exchange says how to close (D-23): at once, after one probe read for
     * bytes the client may have sent, or by shutting output down and discarding input until the
     * client's EOF or the drain deadline.
     */
    private void afterWrite(TcpConnection c) {
        switch (c.exchange.afterReply()) {
            case CLOSE:
                close(c);
                return;
            case PROBE:
                if (readOrEof(c) <= 0) {
                    close(c);
                    return;
                }
                break;
            default:
                break;
        }
        try {
            c.channel.shutdownOutput();
        } catch (IOException e) {
            close(c);
            return;
        }
        c.phase = TcpConnection.Phase.DRAINING;
        c.drainDeadlineNanos = now + dispatcher.drainNanos();
        interest(c, SelectionKey.OP_READ);
    }

    /** Reads into the shared buffer; a read error counts as end of stream (-1): the peer is gone. */
    private int readOrEof(TcpConnection c) {
        try {
            readBuf.clear();
            return c.channel.read(readBuf);
        } catch (IOException e) {
            return -1;
        }
    }

    private void drain(TcpConnection c) {
        for (int i = 0; i < 16; i++) {
            int n = readOrEof(c);
            if (n < 0) {
                close(c);
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- deadlines, close, shutdown

    private void sweep() {
        if (acceptPaused && now - acceptResumeAt >= 0 && listenerKey != null && listenerKey.isValid()) {
            acceptPaused = false;
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        TcpConnection c = head;
        while (c != null) {
            TcpConnection next = c.next;
            switch (c.phase) {
                case READING:
                    if (now - c.acceptNanos >= readTimeoutNanos || now - c.lastProgressNanos >= idleTimeoutNanos) {
                        timedOut(c, "read deadline");
                    }
                    break;
                case WRITING:
                    if (now - c.lastProgressNanos >= idleTimeoutNanos) {
                        timedOut(c, "idle deadline while writing");
                    }
                    break;
                case DRAINING:
                    if (now - c.drainDeadlineNanos >= 0) {
                        close(c);
                    }
                    break;
                default:
                    break; // PROCESSING: a worker owns it (D-26)
            }
            c = next;
        }
    }

    private void timedOut(TcpConnection c, String why) {
        dispatcher.recordTimeout();
        LOG.debug("closing connection from {} after {} bytes: {}", ip(c.remote), c.exchange.bytesReceived(), why);
        close(c);
    }

    /**
     * Closes a connection. A channel still registered with the selector is closed after the next
     * select has deregistered its key: the JDK would otherwise shut its output down (getsockopt +
     * shutdown) and postpone the descriptor's close to that select anyway.
     */
    void close(TcpConnection c) {
        if (c.phase == TcpConnection.Phase.CLOSED) {
            return;
        }
        if (c.phase == TcpConnection.Phase.READING) {
            c.exchange.abandon(); // its partial body's bytes go back to the request budget
        }
        c.phase = TcpConnection.Phase.CLOSED;
        if (c.key != null) {
            c.key.cancel();
            cancelled.add(c.channel);
        } else {
            NioRaidaServer.closeQuietly(c.channel);
        }
        unlink(c);
        dispatcher.releaseConnection(c.remote);
        server.connectionClosed();
    }

    private static void closeDeregistered(ArrayDeque<SocketChannel> channels) {
        SocketChannel ch;
        while ((ch = channels.poll()) != null) {
            NioRaidaServer.closeQuietly(ch);
        }
    }

    private void beginStop() {
        stopping = true;
        stopDeadline = now + server.options().timeouts().shutdownTimeout().toNanos();
        if (listener != null) {
            if (listenerKey != null) {
                listenerKey.cancel();
            }
            NioRaidaServer.closeQuietly(listener);
        }
        if (udp != null) {
            udp.stopReading();
        }
        Accepted a;
        while ((a = adopted.poll()) != null) {
            discard(a.channel(), a.remote());
        }
        // connections that sent nothing yet carry no work to drain
        TcpConnection c = head;
        while (c != null) {
            TcpConnection next = c.next;
            if (c.phase == TcpConnection.Phase.READING && c.exchange.bytesReceived() == 0) {
                close(c);
            }
            c = next;
        }
    }

    /**
     * Closes an accepted connection that never became a {@link TcpConnection}: its source's slot and
     * its place under the connection limit are given back, as {@link #close(TcpConnection)} does.
     */
    private void discard(SocketChannel ch, InetSocketAddress remote) {
        NioRaidaServer.closeQuietly(ch);
        dispatcher.releaseConnection(remote);
        server.connectionClosed();
    }

    private boolean isDrained() {
        return head == null && dispatcher.inFlight() == 0 && (udp == null || !udp.hasPendingSends());
    }

    private void closeAll() {
        int forced = 0;
        TcpConnection c = head;
        while (c != null) {
            TcpConnection next = c.next;
            forced++;
            close(c);
            c = next;
        }
        if (forced > 0) {
            LOG.warn("{} connections still open at the shutdown deadline were closed", forced);
        }
        if (listener != null) {
            NioRaidaServer.closeQuietly(listener);
        }
        if (udp != null) {
            udp.abandon();
            NioRaidaServer.closeQuietly(udp.channel);
        }
        Accepted a;
        while ((a = adopted.poll()) != null) {
            discard(a.channel(), a.remote());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing selector: {}", e.toString());
        }
        closeDeregistered(deregistered);
        closeDeregistered(cancelled);
    }

    private void link(TcpConnection c) {
        c.next = head;
        if (head != null) {
            head.prev = c;
        }
        head = c;
        connections++;
    }

    private void unlink(TcpConnection c) {
        if (c.prev != null) {
            c.prev.next = c.next;
        } else if (head == c) {
            head = c.next;
        } else {
            return;
        }
        if (c.next != null) {
            c.next.prev = c.prev;
        }
        c.prev = null;
        c.next = null;
        connections--;
    }

    int connectionCount() {
        return connections;
    }

    String ip(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }
}
