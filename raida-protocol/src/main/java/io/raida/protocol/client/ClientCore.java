package io.raida.protocol.client;

import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The transport-independent part of a RAIDA client: one per client, shared by its I/O threads.
 * It turns a {@code send} or {@code exchange} into a {@link ClientExchange} (resolved address,
 * reserved echo, deadline) and holds what calls share: the echo reservations and the per-RAIDA TCP
 * connection limit. A transport then only moves the exchange's bytes ({@link UdpCallTable} and
 * {@link TcpReplyReader} decide which bytes are whose reply). Thread-safe.
 */
public final class ClientCore {
    private final ClientOptions options;
    private final EchoReservations echoes = new EchoReservations();
    private final ConnectionLimiter tcpConnections;

    /**
     * A core with the given options.
     *
     * @param options the client's options
     */
    public ClientCore(ClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.tcpConnections = new ConnectionLimiter(options.maxTcpConnectionsPerRaida());
    }

    /**
     * The client options.
     *
     * @return the options given at construction
     */
    public ClientOptions options() {
        return options;
    }

    /**
     * The echo reservations of this client's type 4/5 UDP requests.
     *
     * @return the reservations, shared by every call of this client
     */
    public EchoReservations echoes() {
        return echoes;
    }

    /**
     * The per-RAIDA TCP connection limit; transports connect through {@link ConnectionLimiter#acquire}.
     *
     * @return the limiter, shared by every call of this client
     */
    public ConnectionLimiter tcpConnections() {
        return tcpConnections;
    }

    /**
     * A parsed request. The returned exchange may already have failed (unresolvable host, no free
     * echo); a transport then sends nothing.
     *
     * @param timeout the whole-call deadline; {@code null} for the client's default
     * @param raida the RAIDA's address
     * @param request the request to send
     * @param transport TCP or UDP
     * @return the exchange; its future completes with the parsed reply
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ClientExchange<RaidaResponse> newCall(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(transport, "transport");
        long t = nanos(timeout);
        InetSocketAddress target = resolve(raida);
        ClientRequest sent = request;
        RuntimeException error = null;
        if (target == null) {
            error = unresolved(raida);
            target = raida;
        } else if (transport == Transport.UDP) {
            try {
                sent = echoes.claim(target, request);
            } catch (RaidaTransportException e) {
                error = e;
            }
        }
        ClientExchange<RaidaResponse> call = new ClientExchange<>(target, transport, sent, sent.rawFrame(), t, grace(),
                error == null ? echoes : null);
        if (error != null) {
            call.fail(error);
        }
        return call;
    }

    /**
     * A raw exchange (no parsing, no matching; UDP: the first datagram from the target on its own socket).
     *
     * @param raida the RAIDA's address
     * @param frame the bytes to send as they are
     * @param transport TCP or UDP
     * @param timeout the whole-call deadline, positive
     * @return the exchange; its future completes with the reply's bytes
     */
    public ClientExchange<byte[]> newRawExchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                                 Duration timeout) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(transport, "transport");
        long t = nanos(timeout);
        InetSocketAddress target = resolve(raida);
        ClientExchange<byte[]> call = new ClientExchange<>(target == null ? raida : target, transport, null,
                frame.clone(), t, grace(), null);
        if (target == null) {
            call.fail(unresolved(raida));
        }
        return call;
    }

    private long grace() {
        return options.lateReplyGrace().toNanos();
    }

    private long nanos(Duration timeout) {
        Duration d = timeout == null ? options.timeout() : timeout;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + d);
        }
        return d.toNanos();
    }

    private static InetSocketAddress resolve(InetSocketAddress raida) {
        Objects.requireNonNull(raida, "raida");
        if (!raida.isUnresolved()) {
            return raida;
        }
        InetSocketAddress r = new InetSocketAddress(raida.getHostString(), raida.getPort());
        return r.isUnresolved() ? null : r;
    }

    private static RaidaTransportException unresolved(InetSocketAddress raida) {
        return new RaidaTransportException("cannot resolve RAIDA host " + raida.getHostString());
    }
}
