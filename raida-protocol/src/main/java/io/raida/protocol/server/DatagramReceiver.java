package io.raida.protocol.server;

import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The UDP side of the core for one socket (transport.md §3.2): give it every datagram the socket
 * receives. Interceptors get the first look; then the receiver's own exchange decodes the datagram
 * (cleared for every one, D-10). Too-short datagrams are dropped and counted; errors and
 * non-blocking commands are answered on the calling thread; a command for a worker takes the
 * exchange with it and the receiver takes a free one from the dispatcher's bounded pool, dropping
 * and counting the datagram when there is none or the worker queue is full. Replies go to the sink.
 * A request that costs work from a source over {@link io.raida.protocol.transport.SourceLimits#datagramRatePerSource()}
 * is dropped before it is decoded, without a reply, and counted as {@code rateLimitedDatagrams}.
 *
 * <p>One per socket; {@link #receive} is called by one thread at a time (the socket's I/O thread).
 */
public final class DatagramReceiver {
    private final ServerDispatcher dispatcher;
    private final ServerCore core;
    private final ExchangePool pool;
    private final ReplySink sink;
    private final SourceAdmission limits;
    private ServerExchange scratch;

    DatagramReceiver(ServerDispatcher dispatcher, ExchangePool pool, ReplySink sink) {
        this.dispatcher = dispatcher;
        this.core = dispatcher.core();
        this.pool = pool;
        this.sink = sink;
        this.limits = dispatcher.sourceLimits();
        this.scratch = new ServerExchange(dispatcher, pool);
    }

    /**
     * Handles one datagram. Does not consume {@code datagram} and keeps no reference to it.
     *
     * @param truncated the datagram was longer than the transport's receive buffer (D-22): answered
     *                  16 once its header is valid, never misread
     * @param datagram the datagram's bytes, from its position to its limit
     * @param sender the address the reply goes to
     */
    public void receive(ByteBuffer datagram, InetSocketAddress sender, boolean truncated) {
        ServerExchange ex = scratch;
        ex.reset(Transport.UDP, sender, System.nanoTime(), sink);
        byte[] fast = core.interceptDatagram(datagram, sender);
        boolean interceptorFailed = fast == ServerCore.INTERCEPTOR_FAILED;
        if (fast != null && !interceptorFailed) {
            if (fast.length > 0) { // DROP and any empty reply: send nothing
                sink.send(ex, fast);
            }
            return;
        }
        if (!limits.admitDatagram(datagram, sender)) {
            return; // over its source's rate: no reply, which could go to a spoofed victim
        }
        RequestDecoder d = ex.decoder();
        RequestDecoder.DatagramVerdict verdict = d.decodeDatagram(datagram, truncated);
        if (verdict == RequestDecoder.DatagramVerdict.DROP) {
            return;
        }
        if (interceptorFailed) {
            ex.failAndDeliver();
            return;
        }
        if (verdict == RequestDecoder.DatagramVerdict.RESPOND || d.isNonBlocking()) {
            ex.dispatchOrDrop();
            return;
        }
        ServerExchange spare = pool.take();
        if (spare == null) {
            core.stats().recordDrop();
            return;
        }
        // the worker takes this exchange with the decoded request; the spare becomes this socket's own
        scratch = spare;
        if (ex.dispatchOrDrop() != ServerExchange.Dispatch.ON_WORKER) {
            pool.give(ex); // dropped, or refused with 254 at admission: no worker took it
        }
    }
}
