package io.raida.transport.nio;

import io.raida.protocol.ClientRequest;
import io.raida.protocol.RaidaResponse;
import io.raida.protocol.ResponseParser;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.transport.UdpEchoRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A RAIDA X client on {@code java.nio}: any number of requests in flight over UDP and TCP on
 * {@link ClientOptions#ioThreads()} selector threads (default: the processors, capped), each with its own deadline.
 *
 * <pre>{@code
 * try (NioRaidaClient client = NioRaidaClient.create(ClientOptions.defaults())) {
 *     RaidaResponse r = client.send(raida, RequestBuilder.command(14, 0, 0).build(), Transport.UDP).join();
 * }
 * }</pre>
 *
 * <p>TCP: a new connection per request, the whole frame, then the reply up to its declared size (or
 * EOF). UDP: one datagram on a shared socket; the reply is matched by source address, echo bytes and
 * challenge signature ({@link io.raida.protocol.transport.UdpReplyMatcher}), and type 4/5 echoes
 * in flight are kept unique ({@link UdpEchoRegistry}). Futures complete on the client's I/O
 * thread: dependent actions must not block (use the {@code ...Async} variants for that).
 */
public final class NioRaidaClient implements RaidaClient {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ClientOptions options;
    private final ClientLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final UdpEchoRegistry echoes = new UdpEchoRegistry();
    private volatile boolean closed;

    private NioRaidaClient(ClientOptions options) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        int id = INSTANCES.incrementAndGet();
        loops = new ClientLoop[options.ioThreads()];
        try {
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new ClientLoop("raida-nio-client-" + id + "-" + i, options.maxResponseSize());
            }
        } catch (IOException e) {
            for (ClientLoop l : loops) {
                if (l != null) {
                    l.close();
                }
            }
            throw e;
        }
        for (ClientLoop l : loops) {
            l.thread.start();
        }
    }

    /**
     * A started client.
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public static NioRaidaClient create(ClientOptions options) {
        try {
            return new NioRaidaClient(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the RAIDA client", e);
        }
    }

    /** A started client with {@link ClientOptions#defaults()}. */
    public static NioRaidaClient create() {
        return create(ClientOptions.defaults());
    }

    @Override
    public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(transport, "transport");
        CompletableFuture<byte[]> raw = new CompletableFuture<>();
        CompletableFuture<RaidaResponse> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                raw.cancel(false);
            }
        });
        InetSocketAddress target = resolve(raida, raw);
        if (target == null) {
            raw.whenComplete((bytes, error) -> result.completeExceptionally(unwrap(error)));
            return result;
        }
        long t = nanos(timeout);
        ClientRequest sent;
        try {
            sent = transport == Transport.UDP ? echoes.claim(target, request) : request;
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        raw.whenComplete((bytes, error) -> {
            if (transport == Transport.UDP) {
                echoes.release(target, sent);
            }
            if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
            }
            try {
                result.complete(ResponseParser.parse(sent, bytes));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        ClientLoop.Op op = transport == Transport.UDP
                ? new ClientLoop.UdpOp(target, sent, raw, t)
                : new ClientLoop.TcpOp(target, request.frame(), request.headerSize(), false, raw, t,
                        options.connectTimeout().toNanos());
        submit(op);
        return result;
    }

    @Override
    public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                              Duration timeout) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(transport, "transport");
        CompletableFuture<byte[]> raw = new CompletableFuture<>();
        InetSocketAddress target = resolve(raida, raw);
        if (target == null) {
            return raw;
        }
        long t = nanos(timeout);
        ClientLoop.Op op = transport == Transport.UDP
                ? new ClientLoop.RawUdpOp(target, frame.clone(), raw, t)
                : new ClientLoop.TcpOp(target, frame.clone(), 0, true, raw, t, options.connectTimeout().toNanos());
        submit(op);
        return raw;
    }

    /** The options this client was created with. */
    public ClientOptions options() {
        return options;
    }

    /** Fails every pending request with {@link RaidaTransportException} and ends the I/O threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ClientLoop l : loops) {
            l.close();
        }
        for (ClientLoop l : loops) {
            if (Thread.currentThread() == l.thread) {
                continue;
            }
            try {
                l.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void submit(ClientLoop.Op op) {
        if (closed) {
            op.fail(new RaidaTransportException("the client is closed"));
            return;
        }
        loops[loops.length == 1 ? 0 : Math.floorMod(next.getAndIncrement(), loops.length)].submit(op);
    }

    private long nanos(Duration timeout) {
        Duration d = timeout == null ? options.timeout() : timeout;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + d);
        }
        return d.toNanos();
    }

    private static InetSocketAddress resolve(InetSocketAddress raida, CompletableFuture<?> f) {
        Objects.requireNonNull(raida, "raida");
        if (!raida.isUnresolved()) {
            return raida;
        }
        InetSocketAddress r = new InetSocketAddress(raida.getHostString(), raida.getPort());
        if (r.isUnresolved()) {
            f.completeExceptionally(new RaidaTransportException("cannot resolve RAIDA host " + raida.getHostString()));
            return null;
        }
        return r;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return "NioRaidaClient[" + loops.length + " I/O thread(s)" + (closed ? ", closed" : "") + "]";
    }
}
