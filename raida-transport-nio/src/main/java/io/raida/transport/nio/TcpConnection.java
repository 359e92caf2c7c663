package io.raida.transport.nio;

import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerExchange;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted TCP connection: its channel, its request's {@link ServerExchange} and where it is in
 * the one-request lifecycle. Owned by its {@link ServerLoop}, except while {@link Phase#PROCESSING}:
 * then the exchange (maybe on a worker) owns the request and the loop neither reads, times out nor
 * closes the connection (D-26). It is the exchange's {@link ReplySink}: a reply made on the loop
 * thread is written at once, one made on a worker is handed back to the loop.
 */
final class TcpConnection implements ReplySink {

    /** Lifecycle of the single request a connection carries (transport.md §2.3). */
    enum Phase {
        /** Reading header and body. */
        READING,
        /** The exchange answers the request; the loop does not touch the connection. */
        PROCESSING,
        /** Writing the reply (possibly in several writes). */
        WRITING,
        /** Reply written and output shut down; discarding unread client bytes until EOF (D-23). */
        DRAINING,
        CLOSED
    }

    final ServerLoop loop;
    final SocketChannel channel;
    final InetSocketAddress remote;
    final long acceptNanos;
    ServerExchange exchange;
    SelectionKey key;
    Phase phase = Phase.READING;
    long lastProgressNanos;
    long drainDeadlineNanos;
    ByteBuffer out;
    /** A worker's reply waiting for the loop (null with a hand-back: close without reply). */
    volatile byte[] reply;
    /** The request budget shed this connection's stalled body: the loop closes it if it is still reading. */
    volatile boolean shed;

    /** Intrusive list of the loop's connections (for deadline sweeps without allocation). */
    TcpConnection prev;
    TcpConnection next;

    TcpConnection(ServerLoop loop, SocketChannel channel, InetSocketAddress remote, long acceptNanos) {
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.acceptNanos = acceptNanos;
        this.lastProgressNanos = acceptNanos;
    }

    @Override
    public void send(ServerExchange ex, byte[] bytes) {
        if (Thread.currentThread() == loop.thread) {
            loop.startWrite(this, bytes);
        } else {
            reply = bytes;
            loop.handBack(this);
        }
    }

    @Override
    public void close(ServerExchange ex) {
        reply = null;
        loop.handBack(this);
    }

    @Override
    public void shed(ServerExchange ex) {
        shed = true;
        loop.handBack(this);
    }

    @Override
    public boolean isOpen(ServerExchange ex) {
        return channel.isOpen();
    }
}
