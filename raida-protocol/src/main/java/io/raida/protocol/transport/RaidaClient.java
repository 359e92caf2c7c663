package io.raida.protocol.transport;

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

    /**
     * Sends with the client's default timeout.
     *
     * @param raida the RAIDA's address
     * @param request the request to send
     * @param transport TCP or UDP
     * @return the verified, decrypted reply; fails with a {@link RaidaTimeoutException} or {@link
     *         RaidaTransportException}
     */
    default CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport) {
        return send(raida, request, transport, null);
    }

    /**
     * Sends one request. TCP: a new connection (at most
     * {@link ClientOptions#maxTcpConnectionsPerRaida()} at once per address), the whole frame, the
     * reply up to its declared size or the server's close; a reply complete by its own framing counts
     * even if the connection is then reset. UDP: one datagram; the reply is matched by source, echo
     * bytes and challenge signature, with the rules of {@link io.raida.protocol.client.UdpCallTable}
     * (early header errors, wrong-key error replies). A type 4/5 request whose echo is reserved by
     * another call to the same address is sent with fresh echo bytes
     * ({@link io.raida.protocol.client.EchoReservations}), so the response's echo may differ from
     * {@code request.echo()}. Cancelling the returned future, or completing it yourself, ends the
     * call at once and releases its socket.
     *
     * @param timeout overall deadline; {@code null} for the client's default
     * @param raida the RAIDA's address
     * @param request the request to send
     * @param transport TCP or UDP
     * @return the verified, decrypted reply, of any status
     */
    CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                          Duration timeout);

    /**
     * Sends raw bytes and returns the raw reply: TCP everything until the server closes, UDP the
     * first datagram from {@code raida}. For tools and tests that need malformed frames.
     *
     * @param raida the RAIDA's address
     * @param frame the bytes to send as they are
     * @param transport TCP or UDP
     * @param timeout overall deadline, not {@code null}
     * @return the reply's bytes, not checked
     */
    CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport, Duration timeout);

    /** Fails pending requests and releases sockets and threads. Idempotent. */
    @Override
    void close();
}
