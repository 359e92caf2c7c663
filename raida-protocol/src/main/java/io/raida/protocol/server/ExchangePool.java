package io.raida.protocol.server;

import io.raida.protocol.Transport;
import java.util.ArrayDeque;

/**
 * The bounded pool of UDP exchanges (transport.md §3.3): at most {@code capacity} datagrams wait for
 * or run on a worker at once; when every exchange is busy the datagram is dropped and counted.
 * Each take is paired with one give (the exchange
 * given back is the one the worker ran, not always the spare taken). Exchanges are created on first need and kept on a LIFO stack so the warmest is reused; each is
 * cleared (D-10) before it goes back. Thread-safe.
 */
final class ExchangePool {
    private final ServerDispatcher dispatcher;
    private final ArrayDeque<ServerExchange> free = new ArrayDeque<>();
    private final int capacity;
    /** Spares handed out and not yet given back: datagrams waiting for or running on a worker. */
    private int outstanding;

    ExchangePool(ServerDispatcher dispatcher, int capacity) {
        this.dispatcher = dispatcher;
        this.capacity = capacity;
    }

    /** An exchange for one datagram, or null when all are in use. */
    synchronized ServerExchange take() {
        if (outstanding >= capacity) {
            return null;
        }
        outstanding++;
        ServerExchange e = free.pollFirst();
        return e != null ? e : new ServerExchange(dispatcher, this);
    }

    /** Returns an exchange; its request state (peer, echo, keys, reply) is cleared first. */
    void give(ServerExchange e) {
        e.reset(Transport.UDP, null, 0, null);
        synchronized (this) {
            outstanding--;
            free.addFirst(e);
        }
    }

}
