package io.raida.protocol.server;

import io.raida.protocol.transport.SourceLimits;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Token buckets per source address, in a table of fixed size: a flood from any number of spoofed
 * sources cannot grow its memory. IPv4 sources are limited per address, IPv6 sources per /64 (one
 * host usually owns a whole /64, so per-address limits would be no limit).
 *
 * <p>The table is 2-way set associative: a source takes one of two slots picked by its hash; when
 * both are held by other sources, the one idle longest is reused. A reused slot starts full, so
 * eviction can only ever let a source through, never refuse an innocent one; an attacker who
 * spoofs many sources to evict a victim's bucket gains at most one burst for that victim. Size the
 * table well above the number of sources expected to be active at once.
 *
 * <p>Thread-safe: one short critical section per set.
 */
public final class SourceRateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long IPV4_TAG = 0xFF00_0000_0000_0000L;

    private final long[] keys;
    private final long[] tokensMilli;
    private final long[] lastNanos;
    private final Object[] locks;
    private final int setMask;
    private final long ratePerSecond;
    private final long burstMilli;
    private final LongSupplier clock;
    private final LongAdder refused = new LongAdder();

    /**
     * A limiter allowing each source {@code ratePerSecond} on average and bursts of {@code burst},
     * tracking up to {@code slots} sources at once (rounded up to a power of two).
     *
     * @param ratePerSecond the average requests per second per source, positive
     * @param burst the largest burst per source, positive
     * @param slots the sources tracked at once
     * @return the limiter
     */
    public static SourceRateLimiter create(long ratePerSecond, long burst, int slots) {
        return new SourceRateLimiter(ratePerSecond, burst, slots, System::nanoTime);
    }

    SourceRateLimiter(long ratePerSecond, long burst, int slots, LongSupplier clock) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive, got " + ratePerSecond + "/s, "
                    + burst);
        }
        if (slots < SourceLimits.MIN_LIMITER_SLOTS || slots > SourceLimits.MAX_LIMITER_SLOTS) {
            throw new IllegalArgumentException("slots must be " + SourceLimits.MIN_LIMITER_SLOTS + ".."
                    + SourceLimits.MAX_LIMITER_SLOTS + ", got " + slots);
        }
        int n = Integer.highestOneBit((slots - 1) * 2);
        this.keys = new long[n];
        this.tokensMilli = new long[n];
        this.lastNanos = new long[n];
        this.locks = new Object[n / 2];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.setMask = n / 2 - 1;
        this.ratePerSecond = ratePerSecond;
        this.burstMilli = Math.multiplyExact(burst, 1000L);
        this.clock = clock;
    }

    /**
     * Takes one token for {@code source}; false when its bucket is empty (the request is refused).
     *
     * @param source the request's source address
     * @return {@code true} if the request may go ahead
     */
    public boolean tryAcquire(InetAddress source) {
        return tryAcquire(sourceKey(source));
    }

    /**
     * {@link #tryAcquire(InetAddress)} for a key from {@link #sourceKey}.
     *
     * @param key the source's key
     * @return {@code true} if the request may go ahead
     */
    public boolean tryAcquire(long key) {
        long k = key == 0 ? 1 : key; // 0 marks a free slot
        int set = (int) (mix(k) & setMask);
        int a = set * 2;
        int b = a + 1;
        boolean ok;
        synchronized (locks[set]) {
            long now = clock.getAsLong();
            int slot;
            if (keys[a] == k) {
                slot = a;
            } else if (keys[b] == k) {
                slot = b;
            } else {
                slot = keys[a] == 0 ? a : keys[b] == 0 ? b : lastNanos[a] - lastNanos[b] <= 0 ? a : b;
                keys[slot] = k;
                tokensMilli[slot] = burstMilli;
                lastNanos[slot] = now;
            }
            long elapsed = Math.max(0, now - lastNanos[slot]);
            long refill = elapsed >= NANOS_PER_SECOND * 3600 ? burstMilli
                    : elapsed * ratePerSecond / 1_000_000L; // milli-tokens
            long tokens = Math.min(burstMilli, tokensMilli[slot] + refill);
            lastNanos[slot] = now;
            ok = tokens >= 1000;
            tokensMilli[slot] = ok ? tokens - 1000 : tokens;
        }
        if (!ok) {
            refused.increment();
        }
        return ok;
    }

    /**
     * Requests refused since start.
     *
     * @return the count since start
     */
    public long refused() {
        return refused.sum();
    }

    /**
     * Bytes of table memory, fixed at construction.
     *
     * @return the bytes
     */
    public long memoryBytes() {
        return 24L * keys.length + 16L * locks.length;
    }

    /**
     * The bucket key of a source: an IPv4 address, or the /64 prefix of an IPv6 address.
     *
     * @param source the address
     * @return the key
     */
    public static long sourceKey(InetAddress source) {
        byte[] a = source.getAddress();
        long v = 0;
        if (source instanceof Inet6Address) {
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (a[i] & 0xFF);
            }
            return v;
        }
        for (byte x : a) {
            v = v << 8 | (x & 0xFF);
        }
        // 0xFF… is multicast in IPv6, never a source address: IPv4 keys cannot meet an IPv6 prefix
        return IPV4_TAG | v;
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return k;
    }
}
