package io.raida.transport.nio;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.ResponseFraming;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.UdpReplyMatcher;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client selector thread. Every request is an {@link Op} owned by this thread from submission to
 * completion; deadlines live in a priority queue and bound the select timeout, so no timer thread
 * is needed. Matched UDP requests share one socket per address family; raw UDP exchanges and TCP
 * requests get their own socket.
 */
final class ClientLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLoop.class);
    private static final int UDP_MAX = 65_536;

    private final Selector selector;
    private final int maxResponseSize;
    private final ConcurrentLinkedQueue<Op> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Op> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final Map<InetSocketAddress, List<UdpOp>> udpPending = new HashMap<>();
    private final List<Op> live = new ArrayList<>();
    private final ByteBuffer udpIn = ByteBuffer.allocate(UDP_MAX);
    private SharedUdp udp4;
    private SharedUdp udp6;
    private volatile boolean closing;
    final Thread thread;

    ClientLoop(String name, int maxResponseSize) throws IOException {
        this.selector = Selector.open();
        this.maxResponseSize = maxResponseSize;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void submit(Op op) {
        if (closing) {
            op.fail(new RaidaTransportException("the client is closed"));
            return;
        }
        submitted.add(op);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
        if (closing && submitted.remove(op)) {
            op.fail(new RaidaTransportException("the client is closed"));
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
                if (submitted.isEmpty()) {
                    selector.select(this::onKey, timeout);
                } else {
                    selector.selectNow(this::onKey);
                }
                wakeupPending.set(false);
                Op op;
                while ((op = submitted.poll()) != null) {
                    start(op);
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
        if (op.future.isDone()) {
            return; // cancelled by the caller before it started
        }
        live.add(op);
        op.index = live.size() - 1;
        deadlines.add(op);
        try {
            op.start(this);
        } catch (IOException | RuntimeException e) {
            finish(op, new RaidaTransportException("cannot send to " + op.target + " over " + op.name() + ": " + e, e));
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
                finish(op, op.transportError(e));
            } else {
                LOG.debug("UDP receive failed: {}", e.toString());
            }
        }
    }

    private void expire(long now) {
        Op op;
        while ((op = deadlines.peek()) != null && (op.finished || now - op.deadline >= 0 || op.future.isDone())) {
            deadlines.poll();
            if (op.finished) {
                continue;
            }
            if (op.future.isDone()) {
                finish(op, null); // cancelled: just release its resources
            } else if (op.nextDeadline != 0 && op.mayExtendDeadline() && now - op.nextDeadline < 0) {
                op.deadline = op.nextDeadline; // connected: from the connect deadline to the overall one
                op.nextDeadline = 0;
                deadlines.add(op);
            } else {
                finish(op, new RaidaTimeoutException(op.timeoutMessage()));
            }
        }
    }

    /** Completes {@code op} (with its result if {@code error} is null) and releases its socket. */
    void finish(Op op, Throwable error) {
        if (op.finished) {
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
        if (error != null) {
            op.fail(error);
        }
    }

    private void shutdown() {
        RaidaTransportException closed = new RaidaTransportException("the client was closed before the reply arrived");
        for (Op op : new ArrayList<>(live)) {
            finish(op, closed);
        }
        Op op;
        while ((op = submitted.poll()) != null) {
            op.fail(closed);
        }
        if (udp4 != null) {
            NioRaidaServer.closeQuietly(udp4.channel);
        }
        if (udp6 != null) {
            NioRaidaServer.closeQuietly(udp6.channel);
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
                // many replies may arrive in a burst while the loop is busy; the kernel caps this at rmem_max
                ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
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

    /** The shared, unconnected UDP socket of one address family; replies are matched to requests. */
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
                List<UdpOp> waiting = udpPending.get(from);
                if (waiting == null) {
                    LOG.trace("unexpected datagram from {} ignored", from);
                    continue;
                }
                // a call cancelled by its caller waits here until its deadline, but its echo is free
                // again and may already belong to a newer call: it must not take that call's reply
                for (int k = waiting.size() - 1; k >= 0; k--) {
                    if (waiting.get(k).future.isDone()) {
                        finish(waiting.get(k), null);
                    }
                }
                waiting = udpPending.get(from);
                if (waiting == null) {
                    continue;
                }
                byte[] arr = udpIn.array();
                int len = udpIn.position();
                int i = UdpReplyMatcher.select(waiting, op -> op.request, arr, 0, len);
                if (i < 0) {
                    LOG.trace("datagram from {} matches no waiting request", from);
                    continue;
                }
                UdpOp op = waiting.get(i);
                op.reply = Arrays.copyOf(arr, len);
                finish(op, null);
                op.succeed(op.reply);
            }
        }
    }

    // ---------------------------------------------------------------- operations

    /** One request in flight. Touched only by the loop thread after submission. */
    abstract static class Op {
        final InetSocketAddress target;
        final byte[] frame;
        final CompletableFuture<byte[]> future;
        final long timeoutNanos;
        long deadline;
        long nextDeadline;
        boolean finished;
        int index;

        Op(InetSocketAddress target, byte[] frame, CompletableFuture<byte[]> future, long timeoutNanos) {
            this.target = target;
            this.frame = frame;
            this.future = future;
            this.timeoutNanos = timeoutNanos;
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        abstract String name();

        abstract void start(ClientLoop loop) throws IOException;

        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
        }

        /** Whether the first deadline (e.g. connect) was met, so {@link #nextDeadline} applies. */
        boolean mayExtendDeadline() {
            return false;
        }

        abstract void release(ClientLoop loop);

        void fail(Throwable t) {
            future.completeExceptionally(t);
        }

        void succeed(byte[] reply) {
            future.complete(reply);
        }

        String timeoutMessage() {
            return "no reply from " + target + " over " + name() + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms";
        }

        RaidaTransportException transportError(Exception e) {
            return new RaidaTransportException(name() + " exchange with " + target + " failed: " + e, e);
        }
    }

    /** A request on the shared UDP socket, matched by source, echo and signature. */
    static final class UdpOp extends Op {
        final ClientRequest request;
        byte[] reply;
        private InetSocketAddress key;

        UdpOp(InetSocketAddress target, ClientRequest request, CompletableFuture<byte[]> future, long timeoutNanos) {
            super(target, null, future, timeoutNanos);
            this.request = request;
        }

        @Override
        String name() {
            return "UDP";
        }

        @Override
        void start(ClientLoop loop) throws IOException {
            SharedUdp s = loop.sharedUdp(target);
            key = target;
            loop.udpPending.computeIfAbsent(key, k -> new ArrayList<>(2)).add(this);
            // a full socket buffer drops the datagram like the network would; the deadline reports it
            s.channel.send(request.frameBuffer(), target);
        }

        @Override
        void release(ClientLoop loop) {
            if (key != null) {
                List<UdpOp> l = loop.udpPending.get(key);
                if (l != null) {
                    l.remove(this);
                    if (l.isEmpty()) {
                        loop.udpPending.remove(key);
                    }
                }
            }
        }
    }

    /** A raw UDP exchange on its own connected socket: the first datagram back is the reply. */
    static final class RawUdpOp extends Op {
        private DatagramChannel channel;

        RawUdpOp(InetSocketAddress target, byte[] frame, CompletableFuture<byte[]> future, long timeoutNanos) {
            super(target, frame, future, timeoutNanos);
        }

        @Override
        String name() {
            return "UDP";
        }

        @Override
        void start(ClientLoop loop) throws IOException {
            channel = DatagramChannel.open(target.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.connect(target);
            channel.register(loop.selector, SelectionKey.OP_READ, this);
            channel.write(ByteBuffer.wrap(frame));
        }

        @Override
        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(UDP_MAX);
            try {
                if (channel.read(b) <= 0) {
                    return;
                }
            } catch (PortUnreachableException e) {
                loop.finish(this, new RaidaTransportException("nothing listens on UDP " + target
                        + " (ICMP port unreachable)", e));
                return;
            }
            loop.finish(this, null);
            succeed(Arrays.copyOf(b.array(), b.position()));
        }

        @Override
        void release(ClientLoop loop) {
            NioRaidaServer.closeQuietly(channel);
        }
    }

    /**
     * A TCP request: connect, write the whole frame, read the reply. Raw exchanges read to EOF; parsed
     * requests stop at header + declared size, where the header is 32 bytes for 32-byte requests and
     * for early header errors (wire-format §9.3), else 48.
     */
    static final class TcpOp extends Op {
        private final int requestHeaderSize;
        private final boolean toEof;
        private final long connectTimeoutNanos;
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private byte[] in = new byte[256];
        private int inLen;
        private boolean connected;

        TcpOp(InetSocketAddress target, byte[] frame, int requestHeaderSize, boolean toEof,
              CompletableFuture<byte[]> future, long timeoutNanos, long connectTimeoutNanos) {
            super(target, frame, future, timeoutNanos);
            this.requestHeaderSize = requestHeaderSize;
            this.toEof = toEof;
            this.connectTimeoutNanos = connectTimeoutNanos;
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
            if (!connected) {
                return "TCP connect to " + target + " did not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(Math.min(connectTimeoutNanos, timeoutNanos)) + " ms";
            }
            return "no complete TCP reply from " + target + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms (" + inLen + " bytes received)";
        }

        @Override
        void start(ClientLoop loop) throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            out = ByteBuffer.wrap(frame);
            if (channel.connect(target)) {
                key = channel.register(loop.selector, 0, this);
                onConnected(loop);
            } else {
                key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
            }
        }

        @Override
        void onReady(ClientLoop loop, SelectionKey k) throws IOException {
            if (!connected) {
                if (k.isConnectable()) {
                    try {
                        channel.finishConnect();
                    } catch (IOException e) {
                        loop.finish(this, new RaidaTransportException("cannot connect to " + target + " over TCP: "
                                + e.getMessage(), e));
                        return;
                    }
                    onConnected(loop);
                }
                return;
            }
            if (out.hasRemaining()) {
                if (k.isWritable()) {
                    write(loop);
                }
                return;
            }
            if (k.isReadable()) {
                read(loop);
            }
        }

        private void onConnected(ClientLoop loop) throws IOException {
            connected = true;
            write(loop);
        }

        private void write(ClientLoop loop) throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            if (!out.hasRemaining()) {
                read(loop);
            }
        }

        private void read(ClientLoop loop) throws IOException {
            while (true) {
                if (inLen == in.length) {
                    if (in.length > loop.maxResponseSize) {
                        loop.finish(this, new RaidaTransportException("reply from " + target + " exceeds "
                                + loop.maxResponseSize + " bytes (ClientOptions.maxResponseSize)"));
                        return;
                    }
                    in = Arrays.copyOf(in, (int) Math.min((long) in.length * 2, loop.maxResponseSize + 1L));
                }
                int n = channel.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    if (inLen == 0) {
                        loop.finish(this, new RaidaTransportException(target
                                + " closed the TCP connection without a reply"));
                    } else {
                        complete(loop, inLen);
                    }
                    return;
                }
                inLen += n;
                int total = toEof ? -1 : ResponseFraming.expectedLength(in, 0, inLen, requestHeaderSize);
                if (total >= 0) {
                    if (total > loop.maxResponseSize) {
                        loop.finish(this, new RaidaTransportException("reply from " + target + " declares "
                                + total + " bytes, above ClientOptions.maxResponseSize " + loop.maxResponseSize));
                        return;
                    }
                    if (inLen >= total) {
                        complete(loop, total);
                        return;
                    }
                }
            }
        }

        private void complete(ClientLoop loop, int len) {
            loop.finish(this, null);
            succeed(Arrays.copyOf(in, len));
        }

        @Override
        void release(ClientLoop loop) {
            NioRaidaServer.closeQuietly(channel);
        }
    }
}
