package io.raida.protocol.metrics;

import io.raida.protocol.server.ServerStats;
import io.raida.protocol.StatusCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Reads a {@link ServerStats} through its public getters only; the MXBean implementation. */
final class ServerStatsView implements ServerStatsMXBean {
    private final ServerStats stats;

    ServerStatsView(ServerStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public long getTcpRequests() {
        return stats.tcpRequests();
    }

    @Override
    public long getUdpRequests() {
        return stats.udpRequests();
    }

    @Override
    public long getRequests() {
        return stats.requests();
    }

    @Override
    public long getErrors() {
        return stats.errors();
    }

    @Override
    public long getDrops() {
        return stats.drops();
    }

    @Override
    public long getTimeouts() {
        return stats.timeouts();
    }

    @Override
    public long getRejectedConnections() {
        return stats.rejectedConnections();
    }

    @Override
    public long getRateLimitedConnections() {
        return stats.rateLimitedConnections();
    }

    @Override
    public long getSourceLimitedConnections() {
        return stats.sourceLimitedConnections();
    }

    @Override
    public long getRateLimitedDatagrams() {
        return stats.rateLimitedDatagrams();
    }

    @Override
    public long getHandlerFailures() {
        return stats.handlerFailures();
    }

    @Override
    public long getActiveConnections() {
        return stats.activeConnections();
    }

    @Override
    public long getLatencyP50Micros() {
        return stats.latencyQuantileMicros(0.5);
    }

    @Override
    public long getLatencyP99Micros() {
        return stats.latencyQuantileMicros(0.99);
    }

    @Override
    public Map<String, Long> getResponsesByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int status = 0; status < 256; status++) {
            long n = stats.requestsWithStatus(status);
            if (n != 0) {
                StatusCode code = StatusCode.fromCode(status);
                counts.put(code == null ? Integer.toString(status) : code.name(), n);
            }
        }
        return counts;
    }
}
