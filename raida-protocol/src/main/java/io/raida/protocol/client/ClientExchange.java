package io.raida.protocol.client;

import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One client request from send to its one ending, independent of the transport (the client side of
 * the core/transport seam). A transport sends {@link #frameBuffer()} to {@link #target()}, hands
 * back what it receives ({@link #reply}), reports its deadline ({@link #timedOut}) or a failure
 * ({@link #fail}), and releases its socket when the call ends ({@link #whenEnded}), however it
 * ends: a caller's {@code cancel}, {@code orTimeout} or {@code completeExceptionally} on
 * {@link #future()} is an ending too, and must close the socket at once.
 *
 * <p>The echo of a type 4/5 UDP request stays reserved ({@link EchoReservations}) for as long as
 * the server may still answer: until the reply for a call that got one or failed before reaching
 * the server; until its deadline plus {@link io.raida.protocol.transport.ClientOptions#lateReplyGrace()}
 * for a call that timed out or that its caller ended ({@link #reservedUntilNanos()}).
 *
 * @param <T> {@link RaidaResponse} for a parsed request, {@code byte[]} for a raw exchange
 */
public final class ClientExchange<T> {
    private final InetSocketAddress target;
    private final Transport transport;
    private final ClientRequest request;
    private final byte[] frame;
    private final long timeoutNanos;
    private final long deadlineNanos;
    private final long graceNanos;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final EchoReservations echoes;
    private volatile Throwable ownError;
    private volatile long reservedUntil;
    private boolean settled;
    private volatile String unattributed;

    ClientExchange(InetSocketAddress target, Transport transport, ClientRequest request, byte[] frame,
                   long timeoutNanos, long graceNanos, EchoReservations echoes) {
        this.echoes = echoes;
        this.target = target;
        this.transport = transport;
        this.request = request;
        this.frame = frame;
        this.timeoutNanos = timeoutNanos;
        this.graceNanos = graceNanos;
        this.deadlineNanos = System.nanoTime() + timeoutNanos;
        future.whenComplete((r, e) -> settle(e));
    }

    /**
     * The future the caller holds; completes once, on whichever path ends the call first.
     *
     * @return the future, never {@code null}
     */
    public CompletableFuture<T> future() {
        return future;
    }

    /**
     * The (resolved) address the request goes to.
     *
     * @return the target address
     */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * UDP or TCP.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * The request as sent (possibly with another echo than the caller's), or {@code null} for a raw exchange.
     *
     * @return the request, or {@code null}
     */
    public ClientRequest request() {
        return request;
    }

    /**
     * Whether this is a raw exchange (bytes in, bytes out, no parsing or matching).
     *
     * @return {@code true} for a raw exchange
     */
    public boolean isRaw() {
        return request == null;
    }

    /**
     * The bytes to send, read-only, no copy.
     *
     * @return a read-only buffer over the frame
     */
    public ByteBuffer frameBuffer() {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    /**
     * Length of the frame to send.
     *
     * @return the length in bytes
     */
    public int frameLength() {
        return frame.length;
    }

    /**
     * Copies the frame into {@code dst} at {@code off}.
     *
     * @param dst the array to write to
     * @param off where the frame starts
     */
    public void copyFrameTo(byte[] dst, int off) {
        System.arraycopy(frame, 0, dst, off, frame.length);
    }

    /**
     * The whole-call timeout.
     *
     * @return the timeout in nanoseconds
     */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /**
     * The deadline on the {@link System#nanoTime()} scale.
     *
     * @return the deadline in nanoseconds
     */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * A new TCP reply reader for this call (parsed: framed by the request's header size; raw: to EOF).
     *
     * @param maxResponseSize the largest reply accepted, in bytes
     * @return a new reader
     */
    public TcpReplyReader newTcpReader(int maxResponseSize) {
        return new TcpReplyReader(request == null ? 0 : request.headerSize(), maxResponseSize, describe());
    }

    /**
     * Whether the call has ended.
     *
     * @return {@code true} once the future has completed
     */
    public boolean isDone() {
        return future.isDone();
    }

    /**
     * Runs {@code action} once the call has ended, however (at once if it has): the transport's
     * hook to close the socket, cancel its timer, or take the call out of its table. It runs on the
     * thread that ended the call, which may be the caller's.
     *
     * @param action the action; it must not throw
     */
    public void whenEnded(Runnable action) {
        future.whenComplete((r, e) -> {
            settle(e); // dependents run in no fixed order: every hook sees the reservation settled
            action.run();
        });
    }

    /**
     * The reply bytes for this call: parsed, verified and decrypted (raw exchanges: as they are).
     *
     * @param bytes the complete reply
     * @return whether the call took them (false if it had already ended)
     */
    @SuppressWarnings("unchecked")
    public boolean reply(byte[] bytes) {
        if (future.isDone()) {
            return false;
        }
        if (request == null) {
            return ((CompletableFuture<Object>) future).complete(bytes);
        }
        Object parsed;
        try {
            parsed = ResponseParser.parse(request, bytes);
        } catch (RuntimeException e) {
            ownError = e;
            return future.completeExceptionally(e);
        }
        return ((CompletableFuture<Object>) future).complete(parsed);
    }

    /**
     * The deadline passed: fails with {@link RaidaTimeoutException} whose message is {@code message}.
     *
     * @param message the timeout exception's message
     * @return {@code true} if this ended the call
     */
    public boolean timedOut(String message) {
        String note = unattributed;
        RaidaTimeoutException e = new RaidaTimeoutException(note == null ? message : message + "; " + note);
        ownError = e;
        return future.completeExceptionally(e);
    }

    /**
     * The deadline passed: fails with the standard message.
     *
     * @return {@code true} if this ended the call
     */
    public boolean timedOut() {
        return timedOut("no reply from " + describe() + " over " + transport + " within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /**
     * The transport failed before the server could answer (connect refused, send failed, reset):
     * the echo is freed at once.
     *
     * @param cause the transport's exception
     * @return {@code true} if this ended the call
     */
    public boolean fail(Throwable cause) {
        ownError = cause;
        return future.completeExceptionally(cause);
    }

    /**
     * The transport is closing: fails with {@link RaidaTransportException}; the echo stays reserved
     * like a cancelled call's.
     *
     * @return {@code true} if this ended the call
     */
    public boolean failClosed() {
        return future.completeExceptionally(new RaidaTransportException(
                "the RAIDA client was closed before the reply from " + describe() + " arrived"));
    }

    /** Records that an early error from this call's address could not be attributed to one call. */
    void noteUnattributed(int status, int waiting) {
        unattributed = "an early error reply (status " + status + ") came from that address while " + waiting
                + " requests were waiting for it, and could not be attributed to one of them";
    }

    /**
     * Until when ({@link System#nanoTime()} scale) the server may still answer this call, as far as
     * the client knows; meaningful once the call has ended. A call that got its reply, or failed
     * before reaching the server: the end of the call. One that timed out or was ended by its caller
     * or by closing the client: its deadline plus the late-reply grace period.
     *
     * @return the time in nanoseconds
     */
    public long reservedUntilNanos() {
        return reservedUntil;
    }

    private synchronized void settle(Throwable e) {
        if (!settled) {
            settled = true;
            reservedUntil = computeReservation(e);
        }
    }

    private long computeReservation(Throwable e) {
        long now = System.nanoTime();
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        long until;
        if (c == null || (c == ownError && !(c instanceof RaidaTimeoutException))) {
            until = now;
        } else {
            long end = deadlineNanos - now > 0 ? deadlineNanos : now;
            until = end + graceNanos;
        }
        if (echoes != null && request != null && transport == Transport.UDP) {
            echoes.release(target, request, until);
        }
        return until;
    }

    /**
     * host:port of the target.
     *
     * @return the target as text, for messages and logs
     */
    public String describe() {
        return target.getHostString() + ":" + target.getPort();
    }

    @Override
    public String toString() {
        return "ClientExchange[" + transport + " " + describe() + (request == null ? ", raw" : ", " + request)
                + (future.isDone() ? ", done" : "") + "]";
    }
}
