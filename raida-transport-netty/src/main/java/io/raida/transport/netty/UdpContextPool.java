package io.raida.transport.netty;

import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;

/**
 * The bounded pool of per-datagram contexts (transport.md §3.3): at most {@code capacity} datagrams
 * wait for or run on a worker at once; when every context is busy the caller drops the datagram and
 * counts it. Contexts are created on first need and kept on a LIFO stack so the warmest is reused.
 * Each context's decoder is reset by its user for every datagram (D-10). Thread-safe: taken on
 * event loops, returned on event loops after the reply is queued.
 */
final class UdpContextPool {
    private final ServerCore core;
    private final UdpContext[] free;
    private int freeCount;
    private int created;

    UdpContextPool(ServerCore core, int capacity) {
        this.core = core;
        this.free = new UdpContext[capacity];
    }

    /** A context for one datagram, or null when all are in use. */
    synchronized UdpContext take() {
        if (freeCount > 0) {
            UdpContext c = free[--freeCount];
            free[freeCount] = null;
            return c;
        }
        if (created < free.length) {
            created++;
            return new UdpContext(core.newDecoder());
        }
        return null;
    }

    /** Returns a context; its decoder's request state (peer, echo, keys, response) is cleared first. */
    void give(UdpContext c) {
        c.clear();
        synchronized (this) {
            free[freeCount++] = c;
        }
    }

    /** Contexts currently taken. */
    synchronized int inUse() {
        return created - freeCount;
    }

    int capacity() {
        return free.length;
    }

    /** One pooled datagram context: its decoder and, while a worker runs it, where to answer. */
    static final class UdpContext {
        final FrameDecoder decoder;
        UdpRequestHandler handler;
        /** Worker side: runs the handler, then hands the reply back to the channel's event loop. */
        final Runnable work = this::work;
        /** Event-loop side: sends the reply and returns the context to the pool. */
        final Runnable reply = this::reply;

        UdpContext(FrameDecoder decoder) {
            this.decoder = decoder;
        }

        private void work() {
            boolean processed = false;
            try {
                decoder.process();
                processed = true;
            } finally {
                if (processed) {
                    handler.replyFromWorker(this);
                } else {
                    // no reply to send: the context must still go back to the pool
                    handler.abandonFromWorker(this);
                }
            }
        }

        private void reply() {
            handler.sendWorkerReply(this);
        }

        void clear() {
            handler = null;
            decoder.reset(Transport.UDP, null, 0);
        }
    }
}
