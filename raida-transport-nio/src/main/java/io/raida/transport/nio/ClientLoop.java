package io.raida.transport.nio;

import io.raida.protocol.client.ClientCore;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.client.TcpReplyReader;
import io.raida.protocol.client.UdpCallTable;
import io.raida.protocol.internal.UdpSocketBuffers;
import io.raida.protocol.transport.RaidaTransportException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client selector thread: it only moves bytes. Every call is an {@link Op} around a core
 * {@link ClientExchange}, owned by this thread from submission to its end; deadlines live in a
 * priority queue and bound the select timeout, so no timer thread is needed. A call that ends off
 * this thread (its caller cancelled it or completed its future) is queued back here at once and its
 * socket closed. Matched UDP requests share one socket per address family, and the core's
 * {@link UdpCallTable} says which call a datagram answers; raw UDP exchanges and TCP requests get
 * their own socket, TCP replies are assembled by the core's {@link TcpReplyReader}.
 */
final class ClientLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLoop.class);
    private static final int UDP_MAX = 65_536;

    private final Selector selector;
    private final ClientCore core;
    private final int maxResponseSize;
    private final int udpMax;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Op> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final UdpCallTable udpCalls = new UdpCallTable();
    private final List<Op> live = new ArrayList<>();
    private final ByteBuffer udpIn;
    private SharedUdp udp4;
    private SharedUdp udp6;
    private volatile boolean closing;
    final Thread thread;

    ClientLoop(String name, ClientCore core) throws IOException {
        this.selector = Selector.open();
        this.core = core;
        this.maxResponseSize = core.options().maxResponseSize();
        this.udpMax = Math.min(UDP_MAX, maxResponseSize + 1);
        this.udpIn = ByteBuffer.allocate(udpMax);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** Any thread: starts {@code op} on this loop. */
    void submit(Op op) {
        op.call.whenEnded(() -> onEnded(op));
        Runnable start = () -> start(op);
        if (closing) {
            op.call.failClosed();
            return;
        }
        execute(start);
        if (closing && tasks.remove(start)) {
            op.call.failClosed();
        }
    }

    /** Any thread: runs {@code task} on this loop's next turn. */
    private void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** The call ended (on any thread, however): release its socket now, not at its deadline. */
    private void onEnded(Op op) {
        if (Thread.currentThread() == thread) {
            finish(op);
        } else if (!closing) {
            execute(() -> finish(op)); // when closing, shutdown() releases every socket
        }
    }

    void close() {
        closing = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                long timeout = 0;
                Op first = deadlines.peek();
                if (first != null) {
                    timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(first.deadline - System.nanoTime()) + 1);
                }
                if (tasks.isEmpty()) {
                    selector.select(this::onKey, timeout);
                } else {
                    selector.selectNow(this::onKey);
                }
                wakeupPending.set(false);
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                expire(System.nanoTime());
            }
        } catch (ClosedSelectorException e) {
            LOG.debug("client selector closed");
        } catch (Throwable t) {
            LOG.error("RAIDA client I/O loop failed; failing its requests", t);
        } finally {
            shutdown();
        }
    }

    private void start(Op op) {
        if (op.call.isDone() || op.started) {
            return; // ended by its caller before it started
        }
        if (closing) {
            op.call.failClosed();
            return;
        }
        op.started = true;
        live.add(op);
        op.index = live.size() - 1;
        deadlines.add(op);
        try {
            op.start(this);
        } catch (IOException | RuntimeException e) {
            op.call.fail(new RaidaTransportException("cannot send to " + op.call.describe() + " over " + op.name()
                    + ": " + e, e));
        }
    }

    private void onKey(SelectionKey k) {
        Object a = k.attachment();
        try {
            if (a instanceof SharedUdp) {
                ((SharedUdp) a).onReadable();
            } else if (a instanceof Op) {
                Op op = (Op) a;
                if (!op.finished && k.isValid()) {
                    op.onReady(this, k);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (a instanceof Op) {
                Op op = (Op) a;
                op.onError(e);
            } else {
                LOG.debug("UDP receive failed: {}", e.toString());
            }
        }
    }

    private void expire(long now) {
        Op op;
        while ((op = deadlines.peek()) != null && (op.finished || now - op.deadline >= 0)) {
            deadlines.poll();
            if (op.finished) {
                continue;
            }
            if (op.nextDeadline != 0 && op.mayExtendDeadline() && now - op.nextDeadline < 0) {
                op.deadline = op.nextDeadline; // connected: from the connect deadline to the overall one
                op.nextDeadline = 0;
                deadlines.add(op);
            } else {
                op.call.timedOut(op.timeoutMessage());
                finish(op);
            }
        }
    }

    /** Loop thread: releases {@code op}'s socket and table entry once its call has ended. Idempotent. */
    private void finish(Op op) {
        if (op.finished || !op.started) {
            return;
        }
        op.finished = true;
        op.release(this);
        int i = op.index;
        Op last = live.remove(live.size() - 1);
        if (last != op) {
            live.set(i, last);
            last.index = i;
        }
    }

    private void shutdown() {
        for (Op op : new ArrayList<>(live)) {
            op.call.failClosed();
            finish(op);
        }
        Runnable t;
        while ((t = tasks.poll()) != null) {
            t.run(); // starts fail as closed, ends release
        }
        if (udp4 != null) {
            closeQuietly(udp4.channel);
        }
        if (udp6 != null) {
            closeQuietly(udp6.channel);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing client selector: {}", e.toString());
        }
    }

    private SharedUdp sharedUdp(InetSocketAddress target) throws IOException {
        boolean v6 = target.getAddress() instanceof Inet6Address;
        SharedUdp s = v6 ? udp6 : udp4;
        if (s == null) {
            DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            ch.configureBlocking(false);
            try {
                // many replies may arrive in a burst while the loop is busy (a server socket's size, as the
                // Netty client asks); the kernel caps this at rmem_max
                ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, UdpSocketBuffers.RECEIVE);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("cannot enlarge the UDP receive buffer: {}", e.toString());
            }
            ch.bind(null);
            s = new SharedUdp(ch);
            ch.register(selector, SelectionKey.OP_READ, s);
            if (v6) {
                udp6 = s;
            } else {
                udp4 = s;
            }
        }
        return s;
    }

    /** The shared, unconnected UDP socket of one address family; the core's table matches replies. */
    private final class SharedUdp {
        final DatagramChannel channel;

        SharedUdp(DatagramChannel channel) {
            this.channel = channel;
        }

        void onReadable() throws IOException {
            while (true) {
                udpIn.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(udpIn);
                if (from == null) {
                    return;
                }
                int len = udpIn.position();
                if (len > maxResponseSize) {
                    LOG.debug("datagram of {} bytes from {} above maxResponseSize dropped", len, from);
                    continue;
                }
                ClientExchange<?> call = udpCalls.select(from, udpIn.array(), 0, len);
                if (call == null) {
                    LOG.trace("datagram from {} matches no waiting request", from);
                    continue;
                }
                call.reply(Arrays.copyOf(udpIn.array(), len)); // its end hook releases the table entry
            }
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", c, e.toString());
        }
    }

    // ---------------------------------------------------------------- operations

    /** One call in flight. Touched only by the loop thread after submission. */
    abstract static class Op {
        final ClientExchange<?> call;
        long deadline;
        long nextDeadline;
        boolean started;
        boolean finished;
        int index;

        Op(ClientExchange<?> call) {
            this.call = call;
            this.deadline = call.deadlineNanos();
        }

        abstract String name();

        abstract void start(ClientLoop loop) throws IOException;

        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
        }

        /** An I/O error on this op's own socket. */
        void onError(Exception e) {
            call.fail(new RaidaTransportException(name() + " exchange with " + call.describe() + " failed: " + e, e));
        }

        /** Whether the first deadline (e.g. connect) was met, so {@link #nextDeadline} applies. */
        boolean mayExtendDeadline() {
            return false;
        }

        abstract void release(ClientLoop loop);

        String timeoutMessage() {
            return "no reply from " + call.describe() + " over " + name() + " within "
                    + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos()) + " ms";
        }
    }

    /** A request on the shared UDP socket, matched by the core's table. */
    static final class UdpOp extends Op {
        private boolean inTable;

        UdpOp(ClientExchange<?> call) {
            super(call);
        }

        @Override
        String name() {
            return "UDP";
        }

        @Override
        void start(ClientLoop loop) throws IOException {
            SharedUdp s = loop.sharedUdp(call.target());
            loop.udpCalls.add(call);
            inTable = true;
            // a full socket buffer drops the datagram like the network would; the deadline reports it
            s.channel.send(call.frameBuffer(), call.target());
        }

        @Override
        void release(ClientLoop loop) {
            if (inTable) {
                loop.udpCalls.ended(call);
            }
        }
    }

    /** A raw UDP exchange on its own connected socket: the first datagram back is the reply. */
    static final class RawUdpOp extends Op {
        private DatagramChannel channel;

        RawUdpOp(ClientExchange<?> call) {
            super(call);
        }

        @Override
        String name() {
            return "UDP";
        }

        @Override
        void start(ClientLoop loop) throws IOException {
            InetSocketAddress target = call.target();
            channel = DatagramChannel.open(target.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.connect(target);
            channel.register(loop.selector, SelectionKey.OP_READ, this);
            channel.write(call.frameBuffer());
        }

        @Override
        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(loop.udpMax);
            try {
                if (channel.read(b) <= 0) {
                    return;
                }
            } catch (PortUnreachableException e) {
                call.fail(new RaidaTransportException("nothing listens on UDP " + call.describe()
                        + " (ICMP port unreachable)", e));
                return;
            }
            call.reply(Arrays.copyOf(b.array(), b.position()));
        }

        @Override
        void release(ClientLoop loop) {
            closeQuietly(channel);
        }
    }

    /**
     * A TCP request: wait for a connection permit (per-RAIDA limit), connect, write the whole frame,
     * read the reply through the core's {@link TcpReplyReader}.
     */
    static final class TcpOp extends Op {
        private final long connectTimeoutNanos;
        private TcpReplyReader reader;
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private boolean connected;

        TcpOp(ClientExchange<?> call, long connectTimeoutNanos) {
            super(call);
            this.connectTimeoutNanos = connectTimeoutNanos;
            long timeoutNanos = call.timeoutNanos();
            if (connectTimeoutNanos < timeoutNanos) {
                nextDeadline = deadline;
                deadline = deadline - timeoutNanos + connectTimeoutNanos;
            }
        }

        @Override
        boolean mayExtendDeadline() {
            return connected;
        }

        @Override
        String name() {
            return "TCP";
        }

        @Override
        String timeoutMessage() {
            if (channel == null) {
                return "no TCP connection to " + call.describe() + " became free within "
                        + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos())
                        + " ms (ClientOptions.maxTcpConnectionsPerRaida)";
            }
            if (!connected) {
                return "TCP connect to " + call.describe() + " did not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(Math.min(connectTimeoutNanos, call.timeoutNanos())) + " ms";
            }
            return "no complete TCP reply from " + call.describe() + " within "
                    + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos()) + " ms (" + reader.received()
                    + " bytes received)";
        }

        @Override
        void start(ClientLoop loop) {
            // over the per-RAIDA limit, waiting for a connection counts against the connect deadline
            loop.core.tcpConnections().acquire(call, () -> loop.execute(() -> connect(loop)));
        }

        private void connect(ClientLoop loop) {
            if (finished || call.isDone()) {
                return;
            }
            try {
                reader = call.newTcpReader(loop.maxResponseSize);
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                out = call.frameBuffer();
                if (channel.connect(call.target())) {
                    key = channel.register(loop.selector, 0, this);
                    onConnected();
                } else {
                    key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException | RuntimeException e) {
                onError(e);
            }
        }

        @Override
        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
            if (!connected) {
                if (k.isConnectable()) {
                    try {
                        channel.finishConnect();
                    } catch (IOException e) {
                        call.fail(new RaidaTransportException("cannot connect to " + call.describe() + " over TCP: "
                                + e.getMessage(), e));
                        return;
                    }
                    onConnected();
                }
                return;
            }
            if (out.hasRemaining()) {
                if (k.isWritable()) {
                    write();
                }
                return;
            }
            if (k.isReadable()) {
                read();
            }
        }

        @Override
        void onError(Exception e) {
            if (connected && !out.hasRemaining() && e instanceof IOException io) {
                try {
                    call.reply(reader.onReset(io)); // a complete reply followed by a reset is the answer (D-23)
                } catch (RaidaTransportException failed) {
                    call.fail(failed);
                }
                return;
            }
            super.onError(e);
        }

        private void onConnected() throws IOException {
            connected = true;
            write();
        }

        private void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            if (!out.hasRemaining()) {
                read();
            }
        }

        private void read() throws IOException {
            while (!call.isDone()) {
                ByteBuffer room;
                byte[] reply;
                try {
                    room = reader.room();
                    int n = channel.read(room);
                    if (n == 0) {
                        return;
                    }
                    reply = n < 0 ? reader.onEof() : reader.advance(n);
                } catch (RaidaTransportException e) {
                    call.fail(e);
                    return;
                }
                if (reply != null) {
                    call.reply(reply);
                    return;
                }
            }
        }

        @Override
        void release(ClientLoop loop) {
            closeQuietly(channel);
        }
    }
}
