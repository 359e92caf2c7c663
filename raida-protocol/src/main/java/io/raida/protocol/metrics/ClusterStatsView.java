package io.raida.protocol.metrics;

import io.raida.protocol.cluster.ClusterStats;
import io.raida.protocol.cluster.RaidaOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Reads a {@link ClusterStats} through its public getters only; the MXBean implementation. */
final class ClusterStatsView implements ClusterStatsMXBean {
    private final ClusterStats stats;

    ClusterStatsView(ClusterStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public long getFanOuts() {
        return stats.fanOuts();
    }

    @Override
    public long getFanOutsCompleted() {
        return stats.fanOutsCompleted();
    }

    @Override
    public long getFanOutsDecidedEarly() {
        return stats.fanOutsDecidedEarly();
    }

    @Override
    public long getFanOutsFailed() {
        return stats.fanOutsFailed();
    }

    @Override
    public long getReplies() {
        return stats.replies();
    }

    @Override
    public long getRepliesOverTcp() {
        return stats.repliesOverTcp();
    }

    @Override
    public long getRepliesOverUdp() {
        return stats.repliesOverUdp();
    }

    @Override
    public long getTimeouts() {
        return stats.outcomes(RaidaOutcome.Kind.TIMEOUT);
    }

    @Override
    public long getRefused() {
        return stats.outcomes(RaidaOutcome.Kind.REFUSED);
    }

    @Override
    public long getVerificationFailures() {
        return stats.outcomes(RaidaOutcome.Kind.VERIFICATION_FAILED);
    }

    @Override
    public long getErrors() {
        return stats.outcomes(RaidaOutcome.Kind.ERROR);
    }

    @Override
    public long getCancelled() {
        return stats.outcomes(RaidaOutcome.Kind.CANCELLED);
    }

    @Override
    public long getAttempts() {
        return stats.attempts();
    }

    @Override
    public long getCalibrationRequests() {
        return stats.calibrationRequests();
    }

    @Override
    public long getInFlight() {
        return stats.inFlight();
    }

    @Override
    public Map<String, Long> getOutcomesByKind() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RaidaOutcome.Kind kind : RaidaOutcome.Kind.values()) {
            counts.put(kind.name(), stats.outcomes(kind));
        }
        return counts;
    }
}
