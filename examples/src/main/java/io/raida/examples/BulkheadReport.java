package io.raida.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bulkhead section of a show_stats reply (request payload byte 16 = 2), after the extended
 * block: u8 version (1), u16 length of the rest, u8 bulkhead count, per bulkhead (u8 name length,
 * UTF-8 name, u16 threads, u32 queued, u32 running, u64 expired before start, u64 overran, u64
 * refused at admission), u8 breaker count, per breaker (u8 name length, UTF-8 name, u8 state 0
 * closed / 1 open / 2 half-open, u64 rejected while open, u64 times opened). Big-endian.
 *
 * @param version   the section's version (a version this client does not know is skipped: no rows)
 * @param bulkheads the bulkheads, by name
 * @param breakers  the circuit breakers the server shows
 */
record BulkheadReport(int version, List<Bulkhead> bulkheads, List<Breaker> breakers) {
    static final int VERSION = 1;
    static final String[] BREAKER_STATES = {"closed", "open", "half-open"};

    /**
     * One bulkhead's counters.
     *
     * @param name               its name ("local": the local workers)
     * @param threads            its threads
     * @param queued             requests waiting for a thread now
     * @param running            handlers running now
     * @param expiredBeforeStart requests whose deadline passed while queued
     * @param overran            handlers still running at the deadline
     * @param refusedAtAdmission requests refused on arrival
     */
    record Bulkhead(String name, int threads, long queued, long running, long expiredBeforeStart, long overran,
            long refusedAtAdmission) {
    }

    /**
     * One circuit breaker.
     *
     * @param name        its name
     * @param state       closed, open or half-open
     * @param rejected    calls refused while open
     * @param timesOpened how often it opened
     */
    record Breaker(String name, String state, long rejected, long timesOpened) {
    }

    /** Decodes the section from {@code b}'s position to its end; a malformed one is an {@link IllegalArgumentException}. */
    static BulkheadReport parse(ByteBuffer b) {
        if (b.remaining() < 3) {
            throw new IllegalArgumentException("show_stats bulkhead section needs 3 header bytes, got " + b.remaining());
        }
        int version = b.get() & 0xFF;
        int length = b.getShort() & 0xFFFF;
        if (b.remaining() != length) {
            throw new IllegalArgumentException("show_stats bulkhead section says " + length + " bytes, "
                    + b.remaining() + " follow");
        }
        if (version != VERSION) {
            b.position(b.limit());
            return new BulkheadReport(version, List.of(), List.of());
        }
        try {
            int n = b.get() & 0xFF;
            List<Bulkhead> bulkheads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bulkheads.add(new Bulkhead(name(b), b.getShort() & 0xFFFF, b.getInt() & 0xFFFFFFFFL,
                        b.getInt() & 0xFFFFFFFFL, b.getLong(), b.getLong(), b.getLong()));
            }
            int m = b.get() & 0xFF;
            List<Breaker> breakers = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                String name = name(b);
                int state = b.get() & 0xFF;
                breakers.add(new Breaker(name, state < BREAKER_STATES.length ? BREAKER_STATES[state] : "state " + state,
                        b.getLong(), b.getLong()));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("show_stats bulkhead section has " + b.remaining()
                        + " bytes after its last breaker");
            }
            return new BulkheadReport(version, List.copyOf(bulkheads), List.copyOf(breakers));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("show_stats bulkhead section ends inside an entry", e);
        }
    }

    private static String name(ByteBuffer b) {
        byte[] n = new byte[b.get() & 0xFF];
        b.get(n);
        return new String(n, StandardCharsets.UTF_8);
    }

    /** One row per bulkhead and per breaker, aligned like {@link StatsReply#table()}. */
    String table() {
        StringBuilder sb = new StringBuilder();
        if (version != VERSION) {
            sb.append(String.format("  (bulkhead section version %d: not known to this client)%n", version));
            return sb.toString();
        }
        for (Bulkhead h : bulkheads) {
            sb.append(String.format(Locale.ROOT,
                    "  bulkhead %-21s threads %d, queued %d, running %d, expired %d, overran %d, refused %d%n",
                    h.name(), h.threads(), h.queued(), h.running(), h.expiredBeforeStart(), h.overran(),
                    h.refusedAtAdmission()));
        }
        for (Breaker k : breakers) {
            sb.append(String.format(Locale.ROOT, "  breaker %-22s %s, rejected %d, opened %d times%n",
                    k.name(), k.state(), k.rejected(), k.timesOpened()));
        }
        return sb.toString();
    }
}
