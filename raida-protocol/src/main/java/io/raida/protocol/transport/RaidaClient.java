package io.raida.protocol.transport;

import io.raida.protocol.client.UdpEchoRegistry;
import io.raida.protocol.client.UdpReplyMatcher;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends requests to RAIDA servers over UDP or TCP without a thread per request. Futures complete
 * with the parsed, verified response, or exceptionally with {@link RaidaTimeoutException},
 * {@link RaidaTransportException} or a {@link io.raida.protocol.RaidaException} from parsing.
 */
public interface RaidaClient extends AutoCloseable {

    /** Sends with the client's default timeout. */
    default CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport) {
        return send(raida, request, transport, null);
    }

    /**
     * Sends one request. TCP: a new connection, the whole frame, read to EOF or the declared size.
     * UDP: one datagram; the reply is matched by source, echo bytes and challenge signature, and an
     * early header error (which carries neither) reaches the request only while it is the single
     * one waiting for that address ({@link UdpReplyMatcher}). A type 4/5 request whose echo another
     * one in flight to the same address holds is sent with fresh echo bytes ({@link UdpEchoRegistry}),
     * so the response's echo may differ from {@code request.echo()}.
     *
     * @param timeout overall deadline; {@code null} for the client's default
     */
    CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                          Duration timeout);

    /**
     * Sends raw bytes and returns the raw reply: TCP everything until the server closes, UDP the
     * first datagram from {@code raida}. For tools and tests that need malformed frames.
     */
    CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport, Duration timeout);

    /** Fails pending requests and releases sockets and threads. Idempotent. */
    @Override
    void close();
}
