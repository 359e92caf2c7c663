package io.raida.transport.netty;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.RaidaException;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One request of a {@link NettyRaidaClient}: where it went, what it waits for and its future. The
 * future completes once: with the parsed response ({@link ClientRequest} given) or the raw bytes
 * (raw exchange), or exceptionally with a {@link RaidaException}.
 */
final class ClientCall<T> {
    final InetSocketAddress target;
    /** The request for parsing and UDP matching; null for a raw exchange. */
    final ClientRequest request;
    final CompletableFuture<T> future = new CompletableFuture<>();
    final long timeoutNanos;
    volatile Future<?> timer;

    private ClientCall(InetSocketAddress target, ClientRequest request, long timeoutNanos) {
        this.target = target;
        this.request = request;
        this.timeoutNanos = timeoutNanos;
    }

    static ClientCall<io.raida.protocol.client.RaidaResponse> parsed(InetSocketAddress target, ClientRequest request,
                                                             long timeoutNanos) {
        return new ClientCall<>(target, request, timeoutNanos);
    }

    static ClientCall<byte[]> raw(InetSocketAddress target, long timeoutNanos) {
        return new ClientCall<>(target, null, timeoutNanos);
    }

    boolean isDone() {
        return future.isDone();
    }

    /** Completes with {@code len} reply bytes (parsed unless raw); parsing errors fail the future. */
    @SuppressWarnings("unchecked")
    void succeed(byte[] reply) {
        cancelTimer();
        if (request == null) {
            ((CompletableFuture<byte[]>) future).complete(reply);
            return;
        }
        try {
            ((CompletableFuture<Object>) future).complete(ResponseParser.parse(request, reply));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    void fail(Throwable cause) {
        cancelTimer();
        future.completeExceptionally(cause);
    }

    void cancelTimer() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    static RaidaTransportException closedError() {
        return new RaidaTransportException("the RAIDA client was closed before the reply arrived");
    }

    String describe() {
        return target.getHostString() + ":" + target.getPort();
    }
}
