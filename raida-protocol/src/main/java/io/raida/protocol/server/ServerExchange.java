package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One request from its first byte to its last reply byte. A transport feeds it bytes
 * ({@link #feed}) until it stops {@link #isReading() reading}, calls {@link #dispatch()}, and sends
 * what the exchange hands its {@link ReplySink}; after the reply is written it asks
 * {@link #afterReply()} how to close. Everything else happens inside: framing, the header checks in
 * the reference's order, key lookup, decryption, the dispatch policy (inline for non-blocking
 * handlers, else the worker pool; a full queue is answered 254 over TCP and dropped over UDP), user
 * code failures (252), reply encoding, stats and the early-error rules (D-9, D-22, D-23).
 *
 * <p>Created by {@link ServerDispatcher}. Owned by one thread at a time: the transport's I/O thread,
 * then (for a blocking handler) one worker, which hands the reply to the sink.
 */
public final class ServerExchange {

    /** How a TCP transport ends the connection once the reply is written (D-23). */
    public enum AfterReply {
        /** The request came whole with nothing after it: close at once. */
        CLOSE,
        /** The client may have sent more (request in pieces, full buffer, worker): read once; bytes → DRAIN, none → CLOSE. */
        PROBE,
        /** Unread client bytes exist: shut output down, discard input until EOF or the drain deadline. */
        DRAIN
    }

    private final ServerDispatcher dispatcher;
    private final RequestDecoder decoder;
    private final Runnable work = this::work;
    private final ExchangePool pool;
    private ReplySink sink;
    private int feeds;
    private boolean unreadInput;
    private boolean probeInput;
    /** Body bytes reserved in the dispatcher's request budget (stream exchanges only). */
    private int reserved;
    /** When the large body being read began (read by the budget's shedding scan). */
    private long bodyStartNanos;

    ServerExchange(ServerDispatcher dispatcher, ExchangePool pool) {
        this.dispatcher = dispatcher;
        this.decoder = dispatcher.core().newDecoder();
        this.pool = pool;
        if (pool == null) {
            // UDP bodies need no budget: the exchange pool bounds them
            decoder.budgetedBy(this);
        }
    }

    void reset(Transport transport, InetSocketAddress remote, long startNanos, ReplySink sink) {
        decoder.reset(transport, remote, startNanos);
        this.sink = sink;
        feeds = 0;
        unreadInput = false;
        probeInput = false;
    }

    /**
     * Makes this stream exchange ready for a new request (all state of the previous one cleared,
     * D-10), keeping its sink: for transports that pool their connection objects.
     */
    public void reuse(InetSocketAddress remote, long startNanos) {
        if (pool != null) {
            throw new IllegalStateException("datagram exchanges are reused by their receiver");
        }
        reset(transport(), remote, startNanos, sink);
    }

    RequestDecoder decoder() {
        return decoder;
    }

    /**
     * The validated header declares a body of {@code size} bytes: reserve them in the request budget
     * before the buffer exists. When the budget is full, stalled partial bodies are shed first; false
     * (counted as {@code rejectedMemory}) when the body still does not fit.
     */
    boolean reserveBody(int size) {
        RequestBudget b = dispatcher.budget();
        if (!b.tryReserve(size)) {
            b.shedStalled(System.nanoTime());
            if (!b.tryReserve(size)) {
                dispatcher.recordRejectedMemory();
                return false;
            }
        }
        reserved = size;
        if (size > RequestBudget.SMALL_BODY) {
            bodyStartNanos = System.nanoTime();
            b.trackPartial(this);
        }
        return true;
    }

    /** The whole body arrived: it can no longer stall. */
    void bodyComplete() {
        if (reserved > RequestBudget.SMALL_BODY) {
            dispatcher.budget().untrackPartial(this);
        }
    }

    /** Gives the reserved body bytes back (answered, abandoned or reset). Idempotent. */
    void releaseBody() {
        int n = reserved;
        if (n != 0) {
            reserved = 0;
            RequestBudget b = dispatcher.budget();
            if (n > RequestBudget.SMALL_BODY) {
                b.untrackPartial(this);
            }
            b.release(n);
        }
    }

    long bodyStartNanos() {
        return bodyStartNanos;
    }

    /** The budget sheds this stalled request: its transport closes the connection. */
    void shed() {
        sink.shed(this);
    }

    /**
     * The transport closed the connection while the request was still being read (peer gone,
     * deadline, shed, shutdown): the body bytes it reserved go back to the request budget. Call on
     * the thread that feeds the exchange; idempotent.
     */
    public void abandon() {
        releaseBody();
    }

    /**
     * Consumes stream bytes; takes only what the request needs, so bytes after it stay in
     * {@code src} (they are never processed, and make {@link #afterReply()} say DRAIN).
     *
     * @param moreMayFollow the transport cannot tell that the socket is empty after these bytes
     *                      (e.g. they filled its read buffer)
     * @return the number of bytes consumed
     */
    public int feed(ByteBuffer src, boolean moreMayFollow) {
        int n = decoder.feed(src);
        feeds++;
        if (!decoder.isReading()) {
            if (src.hasRemaining() || decoder.state() == RequestDecoder.State.WANT_WRITE) {
                // refused at its header or body: the rest may still be arriving, and closing with it unread
                // would send RST over the reply
                unreadInput = true;
            } else if (feeds > 1 || moreMayFollow) {
                probeInput = true;
            }
        }
        return n;
    }

    /** True while the request is incomplete. */
    public boolean isReading() {
        return decoder.isReading();
    }

    /** Request bytes received so far. */
    public int bytesReceived() {
        return decoder.bytesReceived();
    }

    /** Bytes still needed to finish the header or body being read (0 once complete). */
    public int bytesWanted() {
        return decoder.bytesWanted();
    }

    /** TCP or UDP. */
    public Transport transport() {
        return decoder.transport();
    }

    /** The peer (null in memory). */
    public InetSocketAddress remoteAddress() {
        return decoder.remoteAddress();
    }

    /** The reply's status once it was handed to the sink (0 before). */
    public int status() {
        return decoder.status();
    }

    /**
     * Answers the complete request: an error reply or a non-blocking command on this thread, a
     * blocking command on a worker. Over TCP a full worker queue is answered 254 here.
     *
     * @throws IllegalStateException while the request is still being read
     */
    public void dispatch() {
        if (!dispatchOrDrop()) {
            // only UDP drops; a stream exchange is always answered
            throw new IllegalStateException("a stream exchange cannot be dropped");
        }
    }

    /** {@link #dispatch()}; false when a UDP request was dropped because the worker queue is full. */
    boolean dispatchOrDrop() {
        if (decoder.isReading()) {
            throw new IllegalStateException("dispatch() before the request is complete");
        }
        if (decoder.state() == RequestDecoder.State.PROCESSING) {
            if (decoder.isNonBlocking()) {
                decoder.process();
            } else {
                probeInput = true; // the client may send more while the handler runs
                dispatcher.workerStarted();
                if (dispatcher.workers().trySubmit(work)) {
                    return true;
                }
                dispatcher.workerFinished();
                if (transport() == Transport.UDP) {
                    // nobody to answer: drop and count (D-31)
                    dispatcher.core().stats().recordDrop();
                    return false;
                }
                decoder.respondWithError(StatusCode.ERROR_MEMORY_ALLOC);
            }
        }
        deliver();
        return true;
    }

    /** How to end the TCP connection once the reply is written. */
    public AfterReply afterReply() {
        return unreadInput ? AfterReply.DRAIN : probeInput ? AfterReply.PROBE : AfterReply.CLOSE;
    }

    /** Worker: runs the handler (unless the peer left) and hands the reply to the sink. */
    private void work() {
        boolean delivered = false;
        try {
            if (sink.isOpen(this)) {
                decoder.process();
                deliver();
                delivered = true;
            }
        } finally {
            try {
                if (!delivered) {
                    releaseBody();
                    sink.close(this);
                }
            } finally {
                dispatcher.workerFinished();
                release();
            }
        }
    }

    /** Answers an inline request whose interceptor failed: 252 once the datagram decoded (bug 1 rule). */
    void failAndDeliver() {
        decoder.failRequest(StatusCode.ERROR_INTERNAL);
        deliver();
    }

    private void deliver() {
        byte[] reply = decoder.responseArray();
        decoder.complete();
        sink.send(this, reply);
    }

    /** A pooled (UDP) exchange goes back to its pool once a worker finished with it. */
    private void release() {
        if (pool != null) {
            pool.give(this);
        }
    }
}
