package io.raida.protocol.server;

import io.raida.protocol.RequestHeader;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-source limits of one running server, as its {@link io.raida.protocol.transport.SourceLimits}
 * set them (connection rate, open connections, datagram rate):
 * what a transport asks on accept and close through {@link ServerDispatcher}, and what
 * {@link DatagramReceiver} asks before it decodes a datagram. Every refusal is counted per kind and
 * logged with its source at most once per interval ({@link OverloadLog}).
 *
 * <p>Memory is bounded: the rate buckets live in fixed tables ({@link SourceRateLimiter}); the
 * open-connection counts exist only for sources with an open connection, at most
 * {@link io.raida.protocol.transport.ConnectionLimits#maxConnections()} of them, since a TCP source cannot be spoofed.
 */
final class SourceAdmission {
    private final SourceRateLimiter connectionRate;
    private final SourceRateLimiter datagramRate;
    private final int maxOpen;
    private final ConcurrentHashMap<Long, Integer> open;
    private final boolean limitLoopback;
    private final CommandRegistry registry;
    private final OverloadLog log;

    SourceAdmission(ServerOptions options, CommandRegistry registry, OverloadLog log) {
        var o = options.sourceLimits(); // the public option group of the same simple name
        this.connectionRate = o.connectionRatePerSource() == 0 ? null : SourceRateLimiter.create(
                o.connectionRatePerSource(), o.connectionBurstPerSource(), o.sourceLimiterSlots());
        this.datagramRate = o.datagramRatePerSource() == 0 ? null : SourceRateLimiter.create(
                o.datagramRatePerSource(), o.datagramBurstPerSource(), o.sourceLimiterSlots());
        this.maxOpen = o.maxConnectionsPerSource();
        this.open = maxOpen == 0 ? null : new ConcurrentHashMap<>();
        this.limitLoopback = o.limitLoopbackSources();
        this.registry = registry;
        this.log = log;
    }

    /** Whether {@code source} is subject to the limits at all (null: a transport without addresses). */
    private boolean limited(InetAddress source) {
        return source != null && (limitLoopback || !source.isLoopbackAddress());
    }

    private static InetAddress address(InetSocketAddress remote) {
        return remote == null ? null : remote.getAddress();
    }

    /** A TCP connection accepted from {@code remote}: true to serve it, false (counted, logged) to close it. */
    boolean admitConnection(InetSocketAddress remote) {
        InetAddress source = address(remote);
        if (!limited(source)) {
            return true;
        }
        long key = SourceRateLimiter.sourceKey(source);
        if (connectionRate != null && !connectionRate.tryAcquire(key)) {
            log.record(Overload.RATE_LIMITED_CONNECTIONS, source, "a source opened TCP connections faster than "
                    + "SourceLimits.connectionRatePerSource allows; they are closed at once");
            return false;
        }
        if (open != null && !openOne(key)) {
            log.record(Overload.SOURCE_LIMITED_CONNECTIONS, source, "a source holds "
                    + maxOpen + " open TCP connections (SourceLimits.maxConnectionsPerSource); more are closed at once");
            return false;
        }
        return true;
    }

    private boolean openOne(long key) {
        boolean[] admitted = new boolean[1];
        open.compute(key, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxOpen) {
                return n;
            }
            admitted[0] = true;
            return held + 1;
        });
        return admitted[0];
    }

    /** A connection that {@link #admitConnection} admitted closed. */
    void releaseConnection(InetSocketAddress remote) {
        InetAddress source = address(remote);
        if (open != null && limited(source)) {
            open.computeIfPresent(SourceRateLimiter.sourceKey(source), (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Sources holding an open connection right now (those the open-connection limit tracks). */
    int trackedSources() {
        return open == null ? 0 : open.size();
    }

    /**
     * Whether a datagram from {@code sender} may be decoded: false (counted, logged) to drop it
     * without a reply. Only requests that cost work take a token; see {@link #costsWork}.
     */
    boolean admitDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        if (datagramRate == null) {
            return true;
        }
        InetAddress source = address(sender);
        if (!limited(source) || !costsWork(datagram)) {
            return true;
        }
        if (datagramRate.tryAcquire(source)) {
            return true;
        }
        log.record(Overload.RATE_LIMITED_DATAGRAMS, source, "a source sent UDP requests faster than "
                + "SourceLimits.datagramRatePerSource allows; they are dropped without a reply");
        return false;
    }

    /**
     * Everything but a type-0 request for a non-blocking command (echo, version), which is answered
     * on the I/O thread with no key lookup, decryption or worker, and a datagram too short to be
     * read at all (dropped unread). Read from the raw header, before any of that work.
     */
    private boolean costsWork(ByteBuffer datagram) {
        int p = datagram.position();
        if (datagram.remaining() < RequestHeader.SIZE_PROBE) {
            return false;
        }
        if (datagram.get(p + RequestFields.ENCRYPTION_TYPE) != 0) {
            return true;
        }
        CommandRegistry.Registration r = registry.lookup(datagram.get(p + RequestFields.COMMAND_GROUP) & 0xFF,
                datagram.get(p + RequestFields.COMMAND_CODE) & 0xFF);
        return r == null || !r.nonBlocking();
    }
}
