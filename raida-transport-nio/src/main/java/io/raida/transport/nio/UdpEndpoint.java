package io.raida.transport.nio;

import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.Transport;
import io.raida.protocol.internal.WorkerPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of the server port (transport.md §3), driven by one {@link ServerLoop}.
 *
 * <p>Every datagram is first offered to {@link ServerCore#interceptDatagram}, then decoded into the
 * loop's scratch decoder (reset, i.e. zeroed, for every datagram: D-10). Invalid datagrams and
 * non-blocking commands are answered right here on the I/O thread without any hand-off. A blocking
 * command needs a pooled context: the scratch decoder goes to the worker together with the request
 * and a free pool decoder becomes the new scratch; with the pool empty the datagram is dropped and
 * counted. Replies are sent with non-blocking {@code send}; when the socket buffer is full they wait
 * in a bounded queue flushed on OP_WRITE (beyond it: dropped and counted, never blocking).
 */
final class UdpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
    /** Datagrams handled per readiness event before other channels get a turn. */
    private static final int BATCH = 512;
    /** Replies that may wait for socket buffer space. */
    private static final int MAX_PENDING_SENDS = 8_192;

    private final ServerLoop loop;
    private final ServerCore core;
    private final ServerStats stats;
    private final WorkerPool workers;
    final DatagramChannel channel;
    private final int threshold;
    private final ByteBuffer rx;
    private final ByteBuffer tx = ByteBuffer.allocateDirect(ServerCore.MAX_UDP_REPLY);
    private final UdpContextPool pool;
    private FrameDecoder scratch;
    private final ConcurrentLinkedQueue<Reply> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Datagrams handed to workers and not yet answered. */
    final AtomicInteger inFlight = new AtomicInteger();
    SelectionKey key;
    private boolean reading = true;

    private record Reply(byte[] bytes, InetSocketAddress to) {
    }

    UdpEndpoint(ServerLoop loop, ServerCore core, WorkerPool workers, DatagramChannel channel, int threshold,
                int poolSize) {
        this.loop = loop;
        this.core = core;
        this.stats = core.stats();
        this.workers = workers;
        this.channel = channel;
        this.threshold = threshold;
        this.rx = ByteBuffer.allocateDirect(threshold + 1);
        this.pool = new UdpContextPool(core, poolSize);
        this.scratch = core.newDecoder();
    }

    /** I/O thread: receive until the socket is empty (or one batch is done). */
    void onReadable() {
        for (int i = 0; i < BATCH && reading; i++) {
            ByteBuffer b = rx;
            b.clear();
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) channel.receive(b);
            } catch (IOException e) {
                LOG.debug("UDP receive failed: {}", e.toString());
                return;
            }
            if (sender == null) {
                return;
            }
            b.flip();
            boolean truncated = b.remaining() > threshold;
            if (truncated) {
                b.limit(threshold);
            }
            onDatagram(b, sender, truncated);
        }
    }

    private void onDatagram(ByteBuffer b, InetSocketAddress sender, boolean truncated) {
        byte[] fast = core.interceptDatagram(b, sender);
        if (fast != null) {
            if (fast.length > 0) { // DROP and any empty reply: send nothing
                send(fast, sender);
            }
            return;
        }
        FrameDecoder d = scratch;
        d.reset(Transport.UDP, sender, System.nanoTime());
        switch (d.decodeDatagram(b, truncated)) {
            case DROP:
                if (LOG.isTraceEnabled()) {
                    LOG.trace("UDP datagram from {} too short, dropped", loop.ip(sender));
                }
                return;
            case RESPOND:
                send(d.responseArray(), sender);
                return;
            default:
                break;
        }
        if (d.isNonBlocking()) {
            d.process();
            send(d.responseArray(), sender);
            return;
        }
        FrameDecoder next = pool.take();
        if (next == null) {
            stats.recordDrop();
            if (LOG.isDebugEnabled()) {
                LOG.debug("UDP context pool exhausted, datagram from {} dropped", loop.ip(sender));
            }
            return;
        }
        scratch = next;
        inFlight.incrementAndGet();
        if (!workers.trySubmit(() -> runOnWorker(d))) {
            // the queue is full: there is nobody to answer, so drop and count (D-31)
            inFlight.decrementAndGet();
            pool.give(d);
            stats.recordDrop();
            if (LOG.isDebugEnabled()) {
                LOG.debug("worker queue full, UDP datagram from {} dropped", loop.ip(sender));
            }
        }
    }

    private void runOnWorker(FrameDecoder d) {
        try {
            d.process();
            // the response array is the decoder's own new allocation, so the context can go back to the
            // pool before the reply is sent: a client that answers the reply at once finds it free
            byte[] reply = d.responseArray();
            InetSocketAddress to = d.remoteAddress();
            pool.give(d);
            d = null;
            sendFromWorker(reply, to);
        } finally {
            if (d != null) {
                pool.give(d);
            }
            inFlight.decrementAndGet();
            loop.wakeupIfStopping();
        }
    }

    /** I/O thread send: through the direct buffer, queued if the socket buffer is full. */
    void send(byte[] reply, InetSocketAddress to) {
        if (pendingCount.get() > 0) {
            enqueue(reply, to);
            return;
        }
        int n;
        try {
            if (reply.length <= tx.capacity()) {
                tx.clear();
                tx.put(reply).flip();
                n = channel.send(tx, to);
            } else {
                n = channel.send(ByteBuffer.wrap(reply), to);
            }
        } catch (IOException e) {
            stats.recordDrop();
            LOG.debug("UDP reply to {} failed: {}", loop.ip(to), e.toString());
            return;
        }
        if (n == 0) {
            enqueue(reply, to);
        }
    }

    /** Worker send: DatagramChannel.send is thread-safe and non-blocking here; a full buffer defers to the loop. */
    private void sendFromWorker(byte[] reply, InetSocketAddress to) {
        if (pendingCount.get() == 0) {
            try {
                if (channel.send(ByteBuffer.wrap(reply), to) > 0) {
                    return;
                }
            } catch (IOException e) {
                stats.recordDrop();
                LOG.debug("UDP reply to {} failed: {}", loop.ip(to), e.toString());
                return;
            }
        }
        enqueue(reply, to);
    }

    private void enqueue(byte[] reply, InetSocketAddress to) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_SENDS) {
            pendingCount.decrementAndGet();
            stats.recordDrop();
            return;
        }
        pending.add(new Reply(reply, to));
        loop.requestUdpFlush();
    }

    /** I/O thread: send queued replies; keeps OP_WRITE interest while some still wait. */
    void flush() {
        Reply r;
        while ((r = pending.peek()) != null) {
            int n;
            try {
                n = channel.send(ByteBuffer.wrap(r.bytes), r.to);
            } catch (IOException e) {
                n = -1;
                stats.recordDrop();
                LOG.debug("UDP reply to {} failed: {}", loop.ip(r.to), e.toString());
            }
            if (n == 0) {
                setWriteInterest(true);
                return;
            }
            pending.poll();
            pendingCount.decrementAndGet();
        }
        setWriteInterest(false);
    }

    boolean hasPendingSends() {
        return pendingCount.get() > 0;
    }

    /** Shutdown: stop reading new datagrams; replies to in-flight ones still go out. */
    void stopReading() {
        reading = false;
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    private void setWriteInterest(boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int want = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (want != ops) {
            key.interestOps(want);
        }
    }

    /** Dropped replies still waiting when the server is forced to stop. */
    int abandon() {
        int n = pendingCount.getAndSet(0);
        pending.clear();
        if (n > 0) {
            LOG.warn("{} UDP replies could not be sent before shutdown", n);
        }
        return n;
    }
}
