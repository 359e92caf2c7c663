package io.raida.protocol.server;

/**
 * What a transport gives the core for answering: the only way a {@link ServerExchange} reaches the
 * network. Called on the thread that called {@link ServerExchange#dispatch()} (inline commands,
 * error replies) or on a worker thread, so implementations hand over to their I/O thread as they
 * need. The exchange passed in is valid only during the call (UDP exchanges are pooled): read its
 * {@link ServerExchange#remoteAddress()} there; the reply array belongs to the sink.
 */
public interface ReplySink {

    /**
     * Sends one complete reply to the exchange's peer.
     *
     * @param exchange the exchange being answered
     * @param reply the encoded reply (not modified)
     */
    void send(ServerExchange exchange, byte[] reply);

    /**
     * The exchange ends without a reply (the peer left, or the JVM failed in the handler): release it.
     *
     * @param exchange the exchange to release
     */
    void close(ServerExchange exchange);

    /**
     * Whether the peer can still receive a reply; a worker skips the handler when it cannot.
     *
     * @param exchange the exchange to check
     * @return {@code true} if a reply can still be delivered
     */
    boolean isOpen(ServerExchange exchange);

    /**
     * The request memory budget is full and this exchange's partial body stalled: close its
     * connection if it is still reading (from any thread; the transport hands over to its I/O thread
     * and calls {@link ServerExchange#abandon()} there). By default {@link #close}.
     *
     * @param exchange the exchange whose connection to shed
     */
    default void shed(ServerExchange exchange) {
        close(exchange);
    }
}
