package io.raida.transport.nio;

import io.raida.protocol.server.DatagramReceiver;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.server.ServerExchange;
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
 * The UDP side of the server port (transport.md §3), driven by one {@link ServerLoop}: receives
 * datagrams into a buffer one byte longer than the threshold (a datagram that fills it was too long,
 * D-22) and gives each to the core's {@link DatagramReceiver}, which decides everything else. As the
 * receiver's {@link ReplySink} it sends replies with non-blocking {@code send}; when the socket
 * buffer is full they wait in a bounded queue flushed on OP_WRITE (beyond it: dropped and counted,
 * never blocking).
 */
final class UdpEndpoint implements ReplySink {
    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
    /** Datagrams handled per readiness event before other channels get a turn. */
    private static final int BATCH = 512;
    /** Replies that may wait for socket buffer space. */
    private static final int MAX_PENDING_SENDS = 8_192;

    private final ServerLoop loop;
    private final ServerDispatcher dispatcher;
    final DatagramChannel channel;
    private final int threshold;
    private final ByteBuffer rx;
    private final ByteBuffer tx = ByteBuffer.allocateDirect(ServerCore.MAX_UDP_REPLY);
    private final DatagramReceiver receiver;
    private final ConcurrentLinkedQueue<Reply> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    SelectionKey key;
    private boolean reading = true;

    private record Reply(byte[] bytes, InetSocketAddress to) {
    }

    UdpEndpoint(ServerLoop loop, ServerDispatcher dispatcher, DatagramChannel channel, int threshold) {
        this.loop = loop;
        this.dispatcher = dispatcher;
        this.channel = channel;
        this.threshold = threshold;
        this.rx = ByteBuffer.allocateDirect(threshold + 1);
        this.receiver = dispatcher.newDatagramReceiver(this);
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
            dispatcher.recordLoopActivity(loop.index);
            receiver.receive(b, sender, truncated);
        }
    }

    @Override
    public void send(ServerExchange exchange, byte[] reply) {
        InetSocketAddress to = exchange.remoteAddress();
        if (Thread.currentThread() == loop.thread) {
            send(reply, to);
        } else {
            sendFromWorker(reply, to);
            loop.wakeupIfStopping();
        }
    }

    @Override
    public void close(ServerExchange exchange) {
        loop.wakeupIfStopping();
    }

    @Override
    public boolean isOpen(ServerExchange exchange) {
        return channel.isOpen();
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
            dispatcher.recordDroppedReply();
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
                dispatcher.recordDroppedReply();
                LOG.debug("UDP reply to {} failed: {}", loop.ip(to), e.toString());
                return;
            }
        }
        enqueue(reply, to);
    }

    private void enqueue(byte[] reply, InetSocketAddress to) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_SENDS) {
            pendingCount.decrementAndGet();
            dispatcher.recordDroppedReply();
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
                dispatcher.recordDroppedReply();
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
