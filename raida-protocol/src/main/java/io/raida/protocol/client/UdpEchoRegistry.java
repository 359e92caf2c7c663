package io.raida.protocol.client;

import io.raida.protocol.transport.RaidaTransportException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the echo bytes of the type 4/5 requests in flight on one client's shared UDP socket unique
 * per destination. Their replies carry no challenge signature, so the echo is all that tells two of
 * them apart: two in flight to the same RAIDA with the same echo could receive each other's replies,
 * and under the same key the wrong one would even verify and decrypt. A request whose echo is taken
 * is sent as a copy with a free echo ({@link ClientRequest#withEcho}); the parsed response then
 * carries that echo. Types 0/1/2 are told apart by their signature (and their echo bytes are nonce
 * bytes that cannot change), so they pass through unchanged. Thread-safe.
 */
public final class UdpEchoRegistry {
    private static final int RANDOM_TRIES = 16;

    private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    private record Key(InetSocketAddress target, int echo) {
    }

    /**
     * Registers a request about to be sent to {@code target}.
     *
     * @return the request to send and to parse the reply with: {@code request} itself, or a copy
     *         with other echo bytes when another type 4/5 request to {@code target} holds its echo
     * @throws RaidaTransportException if all 65 536 echo values to {@code target} are in flight
     */
    public ClientRequest claim(InetSocketAddress target, ClientRequest request) {
        if (!request.encryptionType().isModern() || inFlight.add(new Key(target, request.echo()))) {
            return request;
        }
        for (int i = 0; i < RANDOM_TRIES; i++) {
            int echo = random.nextInt(0x10000);
            if (inFlight.add(new Key(target, echo))) {
                return request.withEcho(echo);
            }
        }
        int start = random.nextInt(0x10000);
        for (int i = 0; i < 0x10000; i++) {
            int echo = (start + i) & 0xFFFF;
            if (inFlight.add(new Key(target, echo))) {
                return request.withEcho(echo);
            }
        }
        throw new RaidaTransportException("65 536 type 4/5 requests are already in flight to " + target
                + ": no free echo value to tell a new one's reply apart");
    }

    /** Frees the echo of a request returned by {@link #claim} once its call has ended, however it ended. */
    public void release(InetSocketAddress target, ClientRequest claimed) {
        if (claimed.encryptionType().isModern()) {
            inFlight.remove(new Key(target, claimed.echo()));
        }
    }

    /** Number of type 4/5 requests registered as in flight (all destinations). */
    public int inFlight() {
        return inFlight.size();
    }
}
