package io.raida.protocol.server;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one warning per {@link Overload} kind per interval, naming the kind, how many happened
 * since the last line and the total, so an attack is visible without a log line per refused
 * connection. Called only on the refusing path, never per served request.
 */
final class OverloadLog {
    private static final Logger LOG = LoggerFactory.getLogger(OverloadLog.class);
    /** Interval between two lines of the same kind. */
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int raidaId;
    private final ServerStats stats;
    private final AtomicLongArray nextLogAt = new AtomicLongArray(Overload.values().length);
    private final AtomicLongArray loggedTotal = new AtomicLongArray(Overload.values().length);
    private final long start = System.nanoTime();

    OverloadLog(int raidaId, ServerStats stats) {
        this.raidaId = raidaId;
        this.stats = stats;
        for (int i = 0; i < nextLogAt.length(); i++) {
            nextLogAt.set(i, start);
        }
    }

    /** Counts one event of {@code kind} and logs it if this kind was quiet for an interval. */
    void record(Overload kind, String detail) {
        record(kind, null, detail);
    }

    /**
     * {@link #record(Overload, String)} for an event caused by {@code source}, whose address the line
     * names (the latest offender's, so an operator sees who). Nothing is formatted unless a line is
     * written: a flood of refusals costs a counter each.
     */
    void record(Overload kind, InetAddress source, String detail) {
        long total = stats.record(kind);
        int i = kind.ordinal();
        long now = System.nanoTime();
        long at = nextLogAt.get(i);
        if (now - at >= 0 && nextLogAt.compareAndSet(i, at, now + INTERVAL_NANOS)) {
            long since = total - loggedTotal.getAndSet(i, total);
            try {
                if (source == null) {
                    LOG.warn("RAIDA {} overload: {} +{} (total {}): {}", raidaId, kind.statName(), since, total,
                            detail);
                } else {
                    LOG.warn("RAIDA {} overload: {} +{} (total {}), latest from {}: {}", raidaId, kind.statName(),
                            since, total, source.getHostAddress(), detail);
                }
            } catch (RuntimeException | LinkageError e) {
                // a logger that fails must not turn a refusal into a failure of the loop
            }
        }
    }
}
