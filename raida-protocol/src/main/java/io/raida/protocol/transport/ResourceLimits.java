package io.raida.protocol.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process limits the server's defaults are derived from: the maximum heap (for the buffered
 * request bytes) and the file-descriptor limit (for the connection limit). Read once per call; a
 * platform that does not report descriptors yields -1 and the fixed fallbacks.
 */
public final class ResourceLimits {
    /** Connection limit used when the platform does not report its descriptor limit. */
    public static final int FALLBACK_MAX_CONNECTIONS = 10_000;
    /** Smallest default connection limit, however low the descriptor limit. */
    static final int MIN_MAX_CONNECTIONS = 16;
    /** Upper bound of the default connection limit (a huge descriptor limit is not an invitation). */
    static final int MAX_DEFAULT_CONNECTIONS = 1_000_000;
    /** Descriptors kept free beyond those open now: files, the integrity store, the CC2 socket, logs. */
    static final int MIN_HEADROOM = 64;
    /** Smallest default request-memory budget. */
    static final long MIN_BUDGET = 1L << 20;

    private ResourceLimits() {
    }

    /**
     * The process's descriptor limit ({@code ulimit -n}), or -1 when the platform does not tell.
     *
     * @return the limit, or -1
     */
    public static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /**
     * Descriptors the process has open now, or -1 when the platform does not tell.
     *
     * @return the count, or -1
     */
    public static long openFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /**
     * The default connection limit: the descriptor limit minus the descriptors open now minus a
     * headroom of max(64, limit / 8), at least 16 and at most 1 000 000; 10 000 when the platform
     * does not report its limit.
     *
     * @return the connection limit
     */
    public static int defaultMaxConnections() {
        return maxConnectionsFor(maxFileDescriptors(), openFileDescriptors());
    }

    static int maxConnectionsFor(long limit, long open) {
        if (limit <= 0) {
            return FALLBACK_MAX_CONNECTIONS;
        }
        long headroom = Math.max(MIN_HEADROOM, limit / 8);
        long n = limit - Math.max(0, open) - headroom;
        return (int) Math.max(MIN_MAX_CONNECTIONS, Math.min(MAX_DEFAULT_CONNECTIONS, n));
    }

    /**
     * The default budget for buffered request bytes: a quarter of the maximum heap, at least 1 MiB.
     *
     * @return the budget in bytes
     */
    public static long defaultRequestMemoryBudget() {
        return Math.max(MIN_BUDGET, Runtime.getRuntime().maxMemory() / 4);
    }
}
