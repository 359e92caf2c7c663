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
 * <p>Deadlines: a request for a worker has until its admission (first byte over TCP, arrival over
 * UDP) plus {@link io.raida.protocol.transport.Timeouts#tcpDeadline()} /
 * {@link io.raida.protocol.transport.Timeouts#udpDeadline()}. When it passes, the request is
 * answered 254 ({@link StatusCode#ERROR_MEMORY_ALLOC}, the status the spec gives a server that
 * cannot take more work) at once: if it is still queued its handler never runs; if its handler is
 * running, the handler is not interrupted (it may be in the middle of writing data, and a
 * half-done write is worse than a late one): the exchange stops waiting for it, answers, and the
 * transport writes and closes as after any reply; the handler's result is discarded when it
 * returns. Exactly one of the deadline timer and the worker answers: a small lock per request
 * decides, and the worker gives a pooled exchange back only after that.
 *
 * <p>Created by {@link ServerDispatcher}. Owned by one thread at a time: the transport's I/O thread,
 * then (for a blocking handler) one worker, which hands the reply to the sink; the deadline timer
 * only builds the 254 reply from what decoding recorded and hands it to the sink.
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
    private long admittedNanos;
    private RequestDeadline deadline;

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
        admittedNanos = startNanos;
        deadline = null;
    }

    /**
     * Makes this stream exchange ready for a new request (all state of the previous one cleared,
     * D-10), keeping its sink: for transports that pool their connection objects.
     *
     * @param remote the new request's peer
     * @param startNanos {@link System#nanoTime()} when the request began
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
     * @param src the bytes read from the socket
     * @return the number of bytes consumed
     */
    public int feed(ByteBuffer src, boolean moreMayFollow) {
        if (feeds == 0) {
            admittedNanos = System.nanoTime(); // the deadline counts from the first byte, not from accept
        }
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

    /**
     * True while the request is incomplete.
     *
     * @return {@code true} while reading
     */
    public boolean isReading() {
        return decoder.isReading();
    }

    /**
     * Request bytes received so far.
     *
     * @return the byte count
     */
    public int bytesReceived() {
        return decoder.bytesReceived();
    }

    /**
     * Bytes still needed to finish the header or body being read (0 once complete).
     *
     * @return the byte count
     */
    public int bytesWanted() {
        return decoder.bytesWanted();
    }

    /**
     * TCP or UDP.
     *
     * @return the transport
     */
    public Transport transport() {
        return decoder.transport();
    }

    /**
     * The peer (null in memory).
     *
     * @return the peer, or {@code null}
     */
    public InetSocketAddress remoteAddress() {
        return decoder.remoteAddress();
    }

    /**
     * The reply's status once it was handed to the sink (0 before).
     *
     * @return the status byte, or 0
     */
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
        if (dispatchOrDrop() == Dispatch.DROPPED) {
            // only UDP drops; a stream exchange is always answered
            throw new IllegalStateException("a stream exchange cannot be dropped");
        }
    }

    /** What {@link #dispatchOrDrop()} did with the request. */
    enum Dispatch {
        /** Answered on the calling thread (error, inline command, refused with 254). */
        ANSWERED,
        /** Handed to a worker, which gives a pooled exchange back when done. */
        ON_WORKER,
        /** A UDP request dropped because the local workers' queue is full. */
        DROPPED
    }

    /** {@link #dispatch()}, saying whether the request went to a worker (only then does the worker own the exchange). */
    Dispatch dispatchOrDrop() {
        if (decoder.isReading()) {
            throw new IllegalStateException("dispatch() before the request is complete");
        }
        if (decoder.state() == RequestDecoder.State.PROCESSING) {
            if (decoder.isNonBlocking()) {
                decoder.process();
            } else {
                probeInput = true; // the client may send more while the handler runs
                Bulkhead b = dispatcher.bulkhead(decoder.bulkhead());
                long now = System.nanoTime();
                long due = admittedNanos + dispatcher.deadlineNanos(transport());
                RequestDeadline d = new RequestDeadline(this, b, due);
                deadline = d;
                dispatcher.workerStarted();
                Bulkhead.Admission a = b.admit(work, now, due);
                if (a == Bulkhead.Admission.ADMITTED) {
                    d.arm(dispatcher.atDeadline(d, due - now));
                    return Dispatch.ON_WORKER;
                }
                deadline = null;
                dispatcher.workerFinished();
                if (transport() == Transport.UDP && a == Bulkhead.Admission.FULL && b == dispatcher.bulkhead(null)) {
                    // the local workers are saturated: nobody to answer, drop and count (D-31)
                    dispatcher.core().stats().recordDrop();
                    return Dispatch.DROPPED;
                }
                // refused at admission: full, or it could not start before its deadline
                decoder.respondWithError(StatusCode.ERROR_MEMORY_ALLOC);
            }
        }
        deliver();
        return Dispatch.ANSWERED;
    }

    /**
     * How to end the TCP connection once the reply is written.
     *
     * @return what to do with the connection
     */
    public AfterReply afterReply() {
        return unreadInput ? AfterReply.DRAIN : probeInput ? AfterReply.PROBE : AfterReply.CLOSE;
    }

    /**
     * Worker: runs the handler (unless the peer left or the deadline passed first) and hands the
     * reply to the sink, unless the deadline answered meanwhile.
     */
    private void work() {
        RequestDeadline d = deadline;
        boolean mustClose = false;
        try {
            if (!sink.isOpen(this)) {
                if (d.abandon()) {
                    sink.close(this);
                }
                return;
            }
            if (!d.start()) {
                return; // answered 254 by its deadline, handler not run
            }
            mustClose = true;
            long t0 = System.nanoTime();
            CommandResult result;
            try {
                result = decoder.runHandler();
            } finally {
                d.bulkhead.finished(System.nanoTime() - t0);
            }
            mustClose = false;
            if (d.finish()) {
                mustClose = true;
                decoder.encodeResult(result);
                deliver();
                mustClose = false;
            }
            // else overran: the client has its 254; the late result is discarded unencoded and uncounted
        } finally {
            try {
                releaseBody(); // idempotent: whoever answered (worker or deadline), the body is done with
                if (mustClose && d.finish()) {
                    sink.close(this);
                }
            } finally {
                dispatcher.workerFinished();
                release();
            }
        }
    }

    /** Deadline timer or worker, under the request's {@link RequestDeadline} lock: the 254 reply, now. */
    void answerAtDeadline() {
        sink.send(this, decoder.deadlineReply(StatusCode.ERROR_MEMORY_ALLOC.code()));
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
