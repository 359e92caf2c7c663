package io.raida.transport.inprocess;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.EchoReservations;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client of the in-process transport: reaches an {@link InProcessRaidaServer} by the port of the
 * address it is given (the host is not looked at), without sockets. Each call is its own "connection"
 * (TCP) or its own source address (UDP), so replies can only reach the call they answer; type 4/5
 * echo bytes are still kept unique per destination ({@link EchoReservations}), as on a shared socket.
 * Replies are parsed and verified by the core's {@link ResponseParser}; timeouts run on one daemon
 * timer thread that {@link #close()} ends.
 */
public final class InProcessRaidaClient implements RaidaClient {
    private static final AtomicInteger NEXT_SOURCE_PORT = new AtomicInteger();

    private final ClientOptions options;
    private final ScheduledExecutorService timer;
    private final EchoReservations echoes = new EchoReservations();
    private final Set<CompletableFuture<byte[]>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private InProcessRaidaClient(ClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "raida-inprocess-client-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /**
     * A client with these options.
     *
     * @param options timeouts and limits of the client (no sockets are opened)
     * @return a client that reaches in-process servers by their registered address
     */
    public static InProcessRaidaClient create(ClientOptions options) {
        return new InProcessRaidaClient(options);
    }

    @Override
    public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        Objects.requireNonNull(request, "request");
        ClientRequest claimed;
        try {
            claimed = transport == Transport.UDP ? echoes.claim(raida, request) : request;
        } catch (RaidaTransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        long deadline = System.nanoTime() + (timeout == null ? options.timeout() : timeout).toNanos();
        CompletableFuture<byte[]> raw = call(raida, claimed.frame(), transport, timeout);
        CompletableFuture<RaidaResponse> result = raw.thenApply(reply -> {
            if (reply == null || reply.length == 0) {
                throw new RaidaTransportException("the server closed the connection without a reply to " + claimed);
            }
            return ResponseParser.parse(claimed, reply);
        });
        result.whenComplete((r, t) -> {
            raw.cancel(false); // a caller's cancel reaches the call; no effect once it completed
            if (transport == Transport.UDP) {
                // the same rule as the socket clients: an echo whose call ended without its reply stays
                // reserved while the server may still answer (until the deadline, or a grace after it)
                long until = r != null ? System.nanoTime()
                        : Math.max(deadline, System.nanoTime() + options.lateReplyGrace().toNanos());
                echoes.release(raida, claimed, until);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                              Duration timeout) {
        return call(raida, frame.clone(), transport, timeout).thenApply(r -> r == null ? new byte[0] : r);
    }

    private CompletableFuture<byte[]> call(InetSocketAddress raida, byte[] frame, Transport transport,
                                           Duration timeout) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new RaidaTransportException("client closed"));
            return f;
        }
        InProcessRaidaServer server = InProcessRaidaServer.at(raida.getPort());
        if (server == null || !server.isRunning()) {
            f.completeExceptionally(new RaidaTransportException("connection refused: no in-process RAIDA server on port "
                    + raida.getPort()));
            return f;
        }
        Duration d = timeout == null ? options.timeout() : timeout;
        pending.add(f);
        ScheduledFuture<?> deadline = timer.schedule(() -> f.completeExceptionally(new RaidaTimeoutException(
                "no reply from " + raida + " over " + transport + " within " + d.toMillis() + " ms")),
                d.toNanos(), TimeUnit.NANOSECONDS);
        InetSocketAddress source = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                1 + Math.floorMod(NEXT_SOURCE_PORT.getAndIncrement(), 65_535));
        f.whenComplete((r, t) -> {
            deadline.cancel(false);
            pending.remove(f);
            if (transport == Transport.UDP) {
                server.forget(source);
            }
        });
        if (transport == Transport.UDP) {
            server.datagram(frame, source, f::complete);
        } else {
            server.stream(frame, source, reply -> {
                if (reply != null && reply.length > options.maxResponseSize()) {
                    f.completeExceptionally(new RaidaTransportException("reply of " + reply.length
                            + " bytes exceeds the client's maxResponseSize of " + options.maxResponseSize()));
                } else {
                    f.complete(reply);
                }
            });
        }
        // a closed client fails what it started; a close racing this call is seen here
        if (closed) {
            f.completeExceptionally(new RaidaTransportException("client closed"));
        }
        return f;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (CompletableFuture<byte[]> f : pending) {
            f.completeExceptionally(new RaidaTransportException("client closed"));
        }
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "InProcessRaidaClient[" + (closed ? "closed" : pending.size() + " pending") + "]";
    }
}
