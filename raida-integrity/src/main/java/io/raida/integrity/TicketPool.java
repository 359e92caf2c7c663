package io.raida.integrity;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The healing tickets a RAIDA has issued (healing.md §1): a bounded pool of numbered lists of coins
 * that passed here, each freed a fixed time after issue (the reference never frees them, D-40) and
 * claimable once by each of the 25 RAIDA. Numbers are random, never 0 and unique among live tickets;
 * lookup, the claim test-and-set and the copy of the coins happen under one lock (D-50).
 *
 * <p>Tickets live in issue order, which is also expiry order (one lifetime for all), so freeing
 * expired tickets looks only at the oldest ones.
 */
final class TicketPool {
    /** Claim flags: one per RAIDA index 0..24. */
    static final int CLAIMERS = 25;

    /** Outcome of a claim (2/50). */
    enum ClaimStatus {
        /** First claim of this ticket by this RAIDA: the coins are returned. */
        CLAIMED,
        /** No live ticket with that number (never issued, expired, or 0). */
        NOT_FOUND,
        /** This RAIDA already claimed the ticket. */
        ALREADY_CLAIMED
    }

    /**
     * @param status what happened
     * @param coins  for {@link ClaimStatus#CLAIMED} the ticket's coins, m × {@code den(1) ‖ SN(4)}, a copy;
     *               otherwise empty
     */
    record Claim(ClaimStatus status, byte[] coins) {
    }

    private static final byte[] NONE = new byte[0];

    private final int capacity;
    private final long lifetimeNanos;
    private final LongSupplier nanoClock;
    private final Random random;
    private final LinkedHashMap<Integer, Entry> live = new LinkedHashMap<>();

    private static final class Entry {
        final byte[] coins;
        final long expiresAt;
        int claims;

        Entry(byte[] coins, long expiresAt) {
            this.coins = coins;
            this.expiresAt = expiresAt;
        }
    }

    /**
     * @param capacity  most live tickets (the reference has 512)
     * @param lifetime  time from issue to free (300 s per the spec)
     * @param nanoClock a {@link System#nanoTime()}-like clock (tests pass their own)
     * @param random    source of ticket numbers ({@link SecureRandom} in production)
     */
    TicketPool(int capacity, Duration lifetime, LongSupplier nanoClock, Random random) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("ticket pool capacity must be positive, got " + capacity);
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("ticket lifetime must be positive, got " + lifetime);
        }
        this.capacity = capacity;
        this.lifetimeNanos = lifetime.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
    }

    TicketPool(int capacity, Duration lifetime) {
        this(capacity, lifetime, System::nanoTime, new SecureRandom());
    }

    /**
     * Issues a ticket for {@code coins} (m × 5 bytes, each coin once; kept as given).
     *
     * @return the ticket number (non-zero, as an unsigned 32-bit value in an int), or 0 if the pool is full
     */
    synchronized int issue(byte[] coins) {
        long now = nanoClock.getAsLong();
        expire(now);
        if (live.size() >= capacity) {
            return 0;
        }
        int n;
        do {
            n = random.nextInt();
        } while (n == 0 || live.containsKey(n));
        live.put(n, new Entry(coins.clone(), now + lifetimeNanos));
        return n;
    }

    /** Claims ticket {@code number} for RAIDA {@code claimer} (0..24): test-and-set of its flag, and the coins. */
    synchronized Claim claim(int number, int claimer) {
        if (claimer < 0 || claimer >= CLAIMERS) {
            throw new IllegalArgumentException("claimer must be 0..24, got " + claimer);
        }
        expire(nanoClock.getAsLong());
        Entry e = number == 0 ? null : live.get(number);
        if (e == null) {
            return new Claim(ClaimStatus.NOT_FOUND, NONE);
        }
        int bit = 1 << claimer;
        if ((e.claims & bit) != 0) {
            return new Claim(ClaimStatus.ALREADY_CLAIMED, NONE);
        }
        e.claims |= bit;
        return new Claim(ClaimStatus.CLAIMED, e.coins.clone());
    }

    /** Live tickets now. */
    synchronized int size() {
        expire(nanoClock.getAsLong());
        return live.size();
    }

    int capacity() {
        return capacity;
    }

    private void expire(long now) {
        Iterator<Map.Entry<Integer, Entry>> it = live.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue().expiresAt < 0) {
                return;
            }
            it.remove();
        }
    }
}
