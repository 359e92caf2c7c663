package io.raida.examples;

import io.raida.protocol.StatusCode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A show_stats (0/2) reply: four big-endian u64 counters (echo requests, pown requests, pown value,
 * UDP requests; D-20) and, when the request asked for it (payload byte 16 = 1) and the server has
 * it, the extended block: total, TCP requests, drops, timeouts, rejected connections, active
 * connections, handler failures (u64 each), a count byte and (status u8, count u64) per status seen;
 * with payload byte 16 = 2, then the {@link BulkheadReport bulkhead section}.
 *
 * @param counters  the counters in reply order, by name
 * @param byStatus  requests per status code (empty without the extended block)
 * @param bulkheads the bulkhead section, or null when the reply has none
 */
record StatsReply(Map<String, Long> counters, Map<Integer, Long> byStatus, BulkheadReport bulkheads) {
    static final String[] BASIC = {"echo requests", "pown requests", "pown value", "UDP requests"};
    static final String[] EXTENDED = {"requests", "TCP requests", "drops", "timeouts", "rejected connections",
        "active connections", "handler failures"};
    static final int BASIC_SIZE = 32;

    /** Decodes {@code payload}; a size that fits neither layout is an {@link IllegalArgumentException}. */
    static StatsReply parse(byte[] payload) {
        if (payload.length != BASIC_SIZE && payload.length < BASIC_SIZE + 8 * EXTENDED.length + 1) {
            throw new IllegalArgumentException("a show_stats reply has " + BASIC_SIZE + " bytes or an extended block, got "
                    + payload.length);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String name : BASIC) {
            counters.put(name, b.getLong());
        }
        Map<Integer, Long> byStatus = new LinkedHashMap<>();
        if (b.hasRemaining()) {
            for (String name : EXTENDED) {
                counters.put(name, b.getLong());
            }
            int n = b.get() & 0xFF;
            if (b.remaining() < n * 9) {
                throw new IllegalArgumentException("show_stats reply lists " + n + " statuses in " + b.remaining()
                        + " bytes, expected " + n * 9);
            }
            for (int i = 0; i < n; i++) {
                byStatus.put(b.get() & 0xFF, b.getLong());
            }
        }
        BulkheadReport bulkheads = b.hasRemaining() ? BulkheadReport.parse(b) : null;
        return new StatsReply(counters, byStatus, bulkheads);
    }

    /** The counters as an aligned two-column table, then one row per status. */
    String table() {
        StringBuilder sb = new StringBuilder();
        counters.forEach((k, v) -> sb.append(String.format("  %-30s %15d%n", k, v)));
        byStatus.forEach((k, v) -> sb.append(String.format("  %-30s %15d%n", "status " + StatusCode.describe(k), v)));
        if (bulkheads != null) {
            sb.append(bulkheads.table());
        }
        return sb.toString();
    }

    /** Counter names as JSON keys: lower case, words joined by underscores. */
    static String jsonKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
    }
}
