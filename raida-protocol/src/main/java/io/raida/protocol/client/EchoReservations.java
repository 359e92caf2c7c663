package io.raida.protocol.client;

import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the echo bytes of type 4/5 UDP requests unique per destination for as long as the server
 * may still answer them. Their replies carry no challenge signature, so the echo is all that tells
 * two of them apart: two requests to the same RAIDA with the same echo could receive each other's
 * replies, and under the same key the wrong one would even verify and decrypt.
 *
 * <p>An echo is reserved from {@link #claim} until the time given to {@link #release}: at once
 * for a call that got its reply or failed before the server could answer, and later for a call
 * that timed out or was cancelled (the server may still answer it; see {@link ClientExchange}).
 * A request whose echo is reserved is sent as a copy with a free echo
 * ({@link ClientRequest#withEcho}); the parsed response then carries that echo. Types 0/1/2 are
 * told apart by their signature (and their echo bytes are nonce bytes that cannot change), so they
 * pass through unchanged. Thread-safe.
 */
public final class EchoReservations {
    private static final int RANDOM_TRIES = 16;
    private static final long IN_FLIGHT = Long.MAX_VALUE;

    /** Reservation end (System.nanoTime) per destination and echo; {@link #IN_FLIGHT} while in flight. */
    private final Map<Key, Long> reserved = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private record Key(InetSocketAddress target, int echo) {
    }

    /** An empty set of reservations. */
    public EchoReservations() {
    }

    /**
     * Reserves the echo of a request about to be sent to {@code target}.
     *
     * @param target the RAIDA's address
     * @param request the request to send
     * @return the request to send and to parse the reply with: {@code request} itself, or a copy
     *         with other echo bytes when its echo is reserved for another type 4/5 request to {@code target}
     * @throws RaidaTransportException if all 65 536 echo values to {@code target} are reserved
     */
    public ClientRequest claim(InetSocketAddress target, ClientRequest request) {
        if (!request.encryptionType().isModern()) {
            return request;
        }
        long now = System.nanoTime();
        if (tryTake(new Key(target, request.echo()), now)) {
            return request;
        }
        for (int i = 0; i < RANDOM_TRIES; i++) {
            int echo = random.nextInt(0x10000);
            if (tryTake(new Key(target, echo), now)) {
                return request.withEcho(echo);
            }
        }
        int start = random.nextInt(0x10000);
        for (int i = 0; i < 0x10000; i++) {
            int echo = (start + i) & 0xFFFF;
            if (tryTake(new Key(target, echo), now)) {
                return request.withEcho(echo);
            }
        }
        throw new RaidaTransportException("65 536 type 4/5 requests to " + target + " are in flight or may still be "
                + "answered: no free echo value to tell a new one's reply apart");
    }

    private boolean tryTake(Key k, long now) {
        boolean[] taken = {false};
        reserved.compute(k, (key, until) -> {
            if (until == null || (until != IN_FLIGHT && until - now <= 0)) {
                taken[0] = true;
                return IN_FLIGHT;
            }
            return until;
        });
        return taken[0];
    }

    /**
     * Ends the reservation of a request returned by {@link #claim} at {@code untilNanos}
     * ({@link System#nanoTime()} scale); a time already past frees the echo at once.
     *
     * @param target the RAIDA's address
     * @param claimed the request {@link #claim} returned
     * @param untilNanos when the reservation ends
     */
    public void release(InetSocketAddress target, ClientRequest claimed, long untilNanos) {
        if (!claimed.encryptionType().isModern()) {
            return;
        }
        Key k = new Key(target, claimed.echo());
        if (untilNanos - System.nanoTime() <= 0) {
            reserved.remove(k);
        } else {
            reserved.replace(k, untilNanos);
        }
    }

    /**
     * Frees the echo of a request returned by {@link #claim} at once.
     *
     * @param target the RAIDA's address
     * @param claimed the request {@link #claim} returned
     */
    public void release(InetSocketAddress target, ClientRequest claimed) {
        release(target, claimed, System.nanoTime());
    }

    /**
     * Number of type 4/5 echoes reserved now (all destinations); expired reservations are dropped.
     *
     * @return the count now
     */
    public int inFlight() {
        long now = System.nanoTime();
        reserved.values().removeIf(until -> until != IN_FLIGHT && until - now <= 0);
        return reserved.size();
    }
}
