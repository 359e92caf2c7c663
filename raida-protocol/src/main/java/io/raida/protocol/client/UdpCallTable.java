package io.raida.protocol.client;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.ResponseHeader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The calls waiting on one shared UDP socket, and the one rule, for every client transport, that
 * decides which of them a datagram answers. Not thread-safe: confined to the socket's I/O thread.
 *
 * <p>A datagram from address A is given, in this order of preference:
 * <ol>
 * <li>to the live call to A it {@linkplain ClientRequest#matches matches} (RAIDA id, echo bytes,
 * and for types 0/1/2 a challenge signature that is zero or the expected one);</li>
 * <li>to nobody when it matches a call to A that has ended by timeout or cancellation but that the
 * server may still answer (until {@link ClientExchange#reservedUntilNanos()}): a reply is only
 * ever given to the call it was sent for;</li>
 * <li>to the single live call to A whose RAIDA id and echo it carries when it is a 32-byte error
 * reply whose signature does not verify (a wrong key): the call ends at once with
 * {@link UnauthenticatedStatusException};</li>
 * <li>when it is an early header error (32-byte header, status 255 or 2..7, no body), which may
 * carry zero or stale echo bytes and signature (D-10) and the answering server's own id: to the
 * live call to A when it is the only call to A the server may be answering (no other live call
 * and no ended one still reserved). With several, it cannot be attributed: each of them is told,
 * and its timeout message says so, rather than one being failed with another's error.</li>
 * </ol>
 */
public final class UdpCallTable {
    private final Map<InetSocketAddress, List<ClientExchange<?>>> live = new HashMap<>();
    private final Map<InetSocketAddress, List<ClientExchange<?>>> ended = new HashMap<>();
    private int size;

    /** An empty table. */
    public UdpCallTable() {
    }

    /**
     * A parsed UDP call about to be sent.
     *
     * @param call the call
     */
    public void add(ClientExchange<?> call) {
        if (call.isRaw()) {
            throw new IllegalArgumentException("raw exchanges are not matched by content: give each its own socket");
        }
        live.computeIfAbsent(call.target(), k -> new ArrayList<>(2)).add(call);
        size++;
    }

    /**
     * Takes an ended call out of the waiting set; while the server may still answer it
     * ({@link ClientExchange#reservedUntilNanos()}) its late reply is recognised and dropped.
     *
     * @param call the call
     */
    public void ended(ClientExchange<?> call) {
        List<ClientExchange<?>> l = live.get(call.target());
        if (l == null || !l.remove(call)) {
            return;
        }
        size--;
        if (l.isEmpty()) {
            live.remove(call.target());
        }
        prune(call.target());
        if (call.reservedUntilNanos() - System.nanoTime() > 0) {
            ended.computeIfAbsent(call.target(), k -> new ArrayList<>(2)).add(call);
        }
    }

    /**
     * Number of live calls.
     *
     * @return the count now
     */
    public int size() {
        return size;
    }

    /**
     * Whether any live call waits for a reply from {@code from}.
     *
     * @param from the datagram's sender
     * @return {@code true} if a call waits for it
     */
    public boolean isWaitingFor(InetSocketAddress from) {
        return live.containsKey(from);
    }

    /**
     * Every live call (e.g. to fail them when the client closes).
     *
     * @return a snapshot of the calls
     */
    public List<ClientExchange<?>> liveCalls() {
        List<ClientExchange<?>> all = new ArrayList<>(size);
        live.values().forEach(all::addAll);
        return all;
    }

    /**
     * Decides which live call a datagram from {@code from} answers (see the class comment).
     *
     * @param from the datagram's sender
     * @param b the array holding the datagram
     * @param off where it starts
     * @param len its length
     * @return that call, or {@code null} when the datagram is to be dropped
     */
    public ClientExchange<?> select(InetSocketAddress from, byte[] b, int off, int len) {
        List<ClientExchange<?>> waiting = live.get(from);
        List<ClientExchange<?>> late = prune(from);
        if (waiting == null) {
            return null;
        }
        for (ClientExchange<?> c : waiting) {
            if (!c.isDone() && c.request().matches(b, off, len)) {
                return c;
            }
        }
        if (late != null) {
            for (ClientExchange<?> c : late) {
                if (c.request().matches(b, off, len)) {
                    return null;
                }
            }
        }
        if (isUnverifiedErrorReply(b, off, len)) {
            ClientExchange<?> only = null;
            int n = 0;
            for (ClientExchange<?> c : waiting) {
                ClientRequest r = c.request();
                if (!c.isDone() && !r.encryptionType().isModern() && r.raidaId() == Bytes.u8(b, off)
                        && r.echo() == Bytes.u16(b, off + 6)) {
                    only = c;
                    n++;
                }
            }
            if (n == 1) {
                return only;
            }
        }
        if (isEarlyError(b, off, len)) {
            int n = 0;
            ClientExchange<?> only = null;
            for (ClientExchange<?> c : waiting) {
                if (!c.isDone()) {
                    only = c;
                    n++;
                }
            }
            if (n == 1 && late == null) {
                return only;
            }
            int status = Bytes.u8(b, off + 2);
            for (ClientExchange<?> c : waiting) {
                c.noteUnattributed(status, n + (late == null ? 0 : late.size()));
            }
        }
        return null;
    }

    private List<ClientExchange<?>> prune(InetSocketAddress from) {
        List<ClientExchange<?>> l = ended.get(from);
        if (l == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Iterator<ClientExchange<?>> it = l.iterator(); it.hasNext(); ) {
            if (it.next().reservedUntilNanos() - now <= 0) {
                it.remove();
            }
        }
        if (l.isEmpty()) {
            ended.remove(from);
            return null;
        }
        return l;
    }

    /**
     * Whether a datagram is an early header error: a 32-byte header, status 255 or 2..7, no body.
     * Its echo and signature are not looked at: the reference fills them with a previous datagram's (D-10).
     *
     * @param b the array holding the datagram
     * @param off where it starts
     * @param len its length
     * @return {@code true} for an early header error
     */
    public static boolean isEarlyError(byte[] b, int off, int len) {
        return len == ResponseHeader.LEGACY_SIZE && TcpReplyReader.isEarlyHeaderError(Bytes.u8(b, off + 2))
                && Bytes.u24(b, off + 9) == 0;
    }

    /** A 32-byte reply with an error status and no body: the kind a server sends when it cannot read the challenge. */
    private static boolean isUnverifiedErrorReply(byte[] b, int off, int len) {
        return len == ResponseHeader.LEGACY_SIZE && Bytes.u24(b, off + 9) == 0
                && ResponseParser.isErrorStatus(Bytes.u8(b, off + 2))
                && !TcpReplyReader.isEarlyHeaderError(Bytes.u8(b, off + 2));
    }
}
