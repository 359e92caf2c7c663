package io.raida.transport.nio;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.client.ClientCore;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.internal.LoopAffinity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 * <p>This class only moves bytes; the core's {@link ClientCore} and {@link ClientExchange} own each
 * call's rules. TCP: a new connection per request (within
 * {@link ClientOptions#maxTcpConnectionsPerRaida()}), the whole frame, then the reply assembled by
 * {@link io.raida.protocol.client.TcpReplyReader}. UDP: one datagram on a shared socket; the reply
 * is matched by {@link io.raida.protocol.client.UdpCallTable}. Cancelling a returned future (or
 * completing it yourself) closes the call's socket at once. Futures complete on the client's I/O
 * thread: dependent actions must not block (use the {@code ...Async} variants for that).
 */
public final class NioRaidaClient implements RaidaClient {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ClientOptions options;
    private final ClientLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final LoopAffinity<ClientLoop> affinity = new LoopAffinity<>(this::nextLoop);
    private final ClientCore core;
    private volatile boolean closed;

    private NioRaidaClient(ClientOptions options) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        this.core = new ClientCore(options);
        int id = INSTANCES.incrementAndGet();
        loops = new ClientLoop[options.ioThreads()];
        try {
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new ClientLoop("raida-nio-client-" + id + "-" + i, core);
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
     * @param options timeouts, I/O threads and limits of the client; not {@code null}
     * @return a client whose selector threads already run; close it to stop them
     * @throws UncheckedIOException if no selector can be opened
     */
    public static NioRaidaClient create(ClientOptions options) {
        try {
            return new NioRaidaClient(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the RAIDA client", e);
        }
    }

    /**
     * A started client with {@link ClientOptions#defaults()}.
     *
     * @return a client whose selector threads already run; close it to stop them
     */
    public static NioRaidaClient create() {
        return create(ClientOptions.defaults());
    }

    @Override
    public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport transport,
                                                 Duration timeout) {
        ClientExchange<RaidaResponse> call = core.newCall(raida, request, transport, timeout);
        if (!call.isDone()) {
            submit(transport == Transport.UDP ? new ClientLoop.UdpOp(call)
                    : new ClientLoop.TcpOp(call, options.connectTimeout().toNanos()));
        }
        return call.future();
    }

    @Override
    public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                              Duration timeout) {
        ClientExchange<byte[]> call = core.newRawExchange(raida, frame, transport, timeout);
        if (!call.isDone()) {
            submit(transport == Transport.UDP ? new ClientLoop.RawUdpOp(call)
                    : new ClientLoop.TcpOp(call, options.connectTimeout().toNanos()));
        }
        return call.future();
    }

    /**
     * The options this client was created with.
     *
     * @return the options given to {@link #create(ClientOptions)}, never {@code null}
     */
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

    private ClientLoop nextLoop() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    private void submit(ClientLoop.Op op) {
        if (closed) {
            op.call.fail(new RaidaTransportException("the client is closed"));
            return;
        }
        (loops.length == 1 ? loops[0] : affinity.choose(op.call)).submit(op);
    }

    @Override
    public String toString() {
        return "NioRaidaClient[" + loops.length + " I/O thread(s)" + (closed ? ", closed" : "") + "]";
    }
}
