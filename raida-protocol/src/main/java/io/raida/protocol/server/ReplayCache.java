package io.raida.protocol.server;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Remembers the type 4/5 requests a server has accepted so that a copy sent again is refused
 * (D-12). Types 4/5 carry no challenge and their HMAC covers only the ciphertext, so anyone who saw
 * a request on the wire can send it again, even with another command or RAIDA id in the header.
 *
 * <p><b>What identifies a request.</b> Not the nonce: bytes 40..47 of the 24-byte nonce field are
 * not used by the cipher and not covered by the MAC, so a replayed copy with one of them flipped
 * would carry a "new" nonce. The MAC tag is what an attacker cannot change without the key: it is
 * a function of the key and the ciphertext, and the ciphertext changes with every fresh IV. The
 * cache therefore keys on the first 16 bytes of the request's HMAC-SHA-256 tag (128 bits, random
 * for distinct requests), checked only after the tag has verified. A request with an empty payload
 * has an empty ciphertext and so the same tag as every other such request under its key; it is
 * identified by its tag mixed with its IV instead ({@link #firstSeen(byte[], int, byte[], int)}).
 *
 * <p><b>Window and memory.</b> Entries live in two generations of fixed open-addressing tables per
 * stripe; the current generation becomes the previous one when it is older than the window or
 * more than half full, so an accepted request is remembered for at least {@code window} unless the
 * server accepts more than {@code capacity / 2} requests within it, in which case the effective
 * window shrinks to what the memory holds (counted in {@link #earlyRotations()}). Memory is fixed
 * at construction: {@code 4 × capacity × 16} bytes (two generations, each table at most half full),
 * whatever the traffic.
 *
 * <p>Thread-safe; lock striping keeps the hot path to one short critical section.
 */
public final class ReplayCache {
    private static final int STRIPES = 64;

    /**
     * The shortest ciphertext identified by its MAC tag alone: from 16 bytes on, two different
     * requests share a 128-bit tag no more often than random 128-bit values collide; below it, tag and
     * IV together identify a request (see {@link #firstSeen(byte[], int, byte[], int)}).
     */
    public static final int TAG_ONLY_MIN_CIPHERTEXT = 16;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final long windowNanos;
    private final LongSupplier clock;
    private final int capacity;
    private final LongAdder replays = new LongAdder();
    private final LongAdder earlyRotations = new LongAdder();

    /**
     * A cache holding at least {@code capacity} request tags (rounded up to a power of two per
     * stripe) for {@code window}.
     *
     * @param capacity the fewest requests remembered, positive
     * @param window how long a request is remembered, positive
     * @return the cache
     */
    public static ReplayCache create(int capacity, Duration window) {
        return new ReplayCache(capacity, window, System::nanoTime);
    }

    ReplayCache(int capacity, Duration window, LongSupplier clock) {
        if (capacity < STRIPES * 4) {
            throw new IllegalArgumentException("replay cache capacity must be at least " + STRIPES * 4
                    + " entries, got " + capacity);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("replay window must be positive, got " + window);
        }
        this.windowNanos = window.toNanos();
        this.clock = clock;
        int perStripe = Integer.highestOneBit(Math.max(4, (capacity + STRIPES - 1) / STRIPES - 1) * 2);
        // perStripe entries per generation, and a generation rotates when half full: so each table
        // holds 2 × perStripe slots (load factor ≤ 0.5 keeps probes short).
        long now = clock.getAsLong();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe * 2, now);
        }
        this.capacity = perStripe * STRIPES;
    }

    /**
     * Records the request whose verified MAC tag starts at {@code tag[off]} (16 bytes read) and
     * says whether this is its first appearance within the window.
     *
     * @param tag the array holding the MAC tag
     * @param off where the tag starts
     * @return {@code true} the first time, {@code false} for a replay
     */
    public boolean firstSeen(byte[] tag, int off) {
        return firstSeen(readLong(tag, off), readLong(tag, off + 8));
    }

    /**
     * {@link #firstSeen(byte[], int)} for a request whose ciphertext is shorter than
     * {@link #TAG_ONLY_MIN_CIPHERTEXT} bytes: the MAC covers only the ciphertext, so such requests have
     * few possible tags (one for every empty body under a key, 256 for every 1-byte body) and honest
     * requests would collide. The request is identified by the tag mixed with its IV
     * ({@code iv[ivOff..ivOff+15]}, request bytes 24..39). Only exact copies are recognised then: a
     * copy with other nonce bytes decrypts to another plaintext and counts as a new request.
     *
     * @param tag the array holding the MAC tag
     * @param off where the tag starts
     * @param iv the array holding the IV
     * @param ivOff where the IV starts
     * @return {@code true} the first time, {@code false} for a replay
     */
    public boolean firstSeen(byte[] tag, int off, byte[] iv, int ivOff) {
        return firstSeen(readLong(tag, off) ^ readLong(iv, ivOff), readLong(tag, off + 8) ^ readLong(iv, ivOff + 8));
    }

    private boolean firstSeen(long hi, long lo) {
        if (hi == 0 && lo == 0) {
            lo = 1; // (0, 0) marks an empty slot; a tag that starts with 16 zero bytes is 2^-128 likely
        }
        Stripe s = stripes[(int) (hi >>> 58)];
        boolean first;
        synchronized (s) {
            long now = clock.getAsLong();
            if (now - s.generationStart > windowNanos) {
                if (now - s.lastInsert > windowNanos) {
                    s.rotate(now); // a stripe idle for a whole window holds nothing young enough to keep
                }
                s.rotate(now);
            }
            first = !s.previous.contains(hi, lo) && s.current.add(hi, lo);
            if (first) {
                s.lastInsert = now;
            }
            if (first && s.current.size * 2 >= s.current.slots()) {
                s.rotate(now);
                earlyRotations.increment();
            }
        }
        if (!first) {
            replays.increment();
        }
        return first;
    }

    /**
     * Requests refused as replays since start.
     *
     * @return the count since start
     */
    public long replays() {
        return replays.sum();
    }

    /**
     * How often a generation filled up before the window passed (the window was shortened).
     *
     * @return the count since start
     */
    public long earlyRotations() {
        return earlyRotations.sum();
    }

    /**
     * Entries the cache holds per generation at most.
     *
     * @return the entries per generation
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Bytes of table memory, fixed at construction.
     *
     * @return the bytes
     */
    public long memoryBytes() {
        long total = 0;
        for (Stripe s : stripes) {
            total += 16L * (s.current.slots() + s.previous.slots());
        }
        return total;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static final class Stripe {
        Table current;
        Table previous;
        long generationStart;
        long lastInsert;

        Stripe(int slots, long now) {
            current = new Table(slots);
            previous = new Table(slots);
            generationStart = now;
            lastInsert = now;
        }

        void rotate(long now) {
            Table t = previous;
            previous = current;
            t.clear();
            current = t;
            generationStart = now;
        }
    }

    /** Linear-probing set of 128-bit keys; never more than half full. */
    private static final class Table {
        final long[] keys;
        int size;

        Table(int slots) {
            keys = new long[slots * 2];
        }

        int slots() {
            return keys.length / 2;
        }

        boolean contains(long hi, long lo) {
            int mask = slots() - 1;
            for (int i = (int) lo & mask; ; i = (i + 1) & mask) {
                long h = keys[2 * i];
                long l = keys[2 * i + 1];
                if (h == 0 && l == 0) {
                    return false;
                }
                if (h == hi && l == lo) {
                    return true;
                }
            }
        }

        /** Adds the key; false when it was present. */
        boolean add(long hi, long lo) {
            int mask = slots() - 1;
            for (int i = (int) lo & mask; ; i = (i + 1) & mask) {
                long h = keys[2 * i];
                long l = keys[2 * i + 1];
                if (h == 0 && l == 0) {
                    keys[2 * i] = hi;
                    keys[2 * i + 1] = lo;
                    size++;
                    return true;
                }
                if (h == hi && l == lo) {
                    return false;
                }
            }
        }

        void clear() {
            java.util.Arrays.fill(keys, 0L);
            size = 0;
        }
    }
}
