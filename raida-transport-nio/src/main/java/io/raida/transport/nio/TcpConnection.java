package io.raida.transport.nio;

import io.raida.protocol.server.FrameDecoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted TCP connection: its channel, decoder and where it is in the one-request lifecycle.
 * Owned by its {@link ServerLoop}, except while {@link Phase#PROCESSING}: then one worker owns the
 * decoder and the loop neither reads, times out nor closes the connection (D-26).
 */
final class TcpConnection {

    /** Lifecycle of the single request a connection carries (transport.md §2.3). */
    enum Phase {
        /** Reading header and body. */
        READING,
        /** A worker runs the handler; the loop does not touch the connection. */
        PROCESSING,
        /** Writing the response (possibly in several writes). */
        WRITING,
        /** Response written and output shut down; discarding unread client bytes until EOF (D-23). */
        DRAINING,
        CLOSED
    }

    final SocketChannel channel;
    final InetSocketAddress remote;
    final FrameDecoder decoder;
    final long acceptNanos;
    SelectionKey key;
    Phase phase = Phase.READING;
    long lastProgressNanos;
    long drainDeadlineNanos;
    ByteBuffer out;
    /** Bytes after the request were read with it (never processed): drain before closing (D-23). */
    boolean unreadInput;
    /**
     * The request came in several reads, filled the read buffer or went to a worker: client bytes
     * may still come, so the socket is read once more after the reply.
     */
    boolean probeInput;

    /** Intrusive list of the loop's connections (for deadline sweeps without allocation). */
    TcpConnection prev;
    TcpConnection next;

    TcpConnection(SocketChannel channel, InetSocketAddress remote, FrameDecoder decoder, long acceptNanos) {
        this.channel = channel;
        this.remote = remote;
        this.decoder = decoder;
        this.acceptNanos = acceptNanos;
        this.lastProgressNanos = acceptNanos;
    }
}
