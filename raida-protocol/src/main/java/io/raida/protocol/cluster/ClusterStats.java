package io.raida.protocol.cluster;

import io.raida.protocol.Transport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The outcome counters of one {@link RaidaCluster} since it was built: fan-outs (rounds), the final
 * outcome of every RAIDA in them, the transport that carried each reply, attempts and calibration
 * requests. Read-only for users; the cluster updates it, and every getter reads the live value
 * without a lock (each is exact, but two getters read one after the other may straddle a fan-out).
 *
 * <p>A fan-out's RAIDA outcomes are counted once all 25 are final (after stragglers left to finish
 * have ended, see {@link ClusterReply#settled()}); a fan-out whose future was cancelled by its caller
 * or that failed counts in {@link #fanOutsFailed()} and adds no RAIDA outcome; a fan-out asked of a
 * cluster already closed is not counted at all.
 * Obtain it with {@link RaidaCluster#stats()}; publish it with
 * {@code io.raida.protocol.metrics.RaidaJmx} or {@code RaidaMeterBinder}.
 */
public final class ClusterStats {
    private static final RaidaOutcome.Kind[] KINDS = RaidaOutcome.Kind.values();

    private final RaidaCluster cluster;
    private final LongAdder started = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder early = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder[] outcomes = new LongAdder[KINDS.length];
    private final LongAdder tcpReplies = new LongAdder();
    private final LongAdder udpReplies = new LongAdder();
    private final LongAdder attempts = new LongAdder();

    ClusterStats(RaidaCluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    void fanOutStarted() {
        started.increment();
    }

    void fanOutCompleted(ClusterReply reply) {
        completed.increment();
        if (reply.decidedEarly()) {
            early.increment();
        }
    }

    void fanOutFailed() {
        failed.increment();
    }

    void settled(List<RaidaOutcome> finalOutcomes) {
        for (RaidaOutcome o : finalOutcomes) {
            outcomes[o.kind().ordinal()].increment();
            attempts.add(o.attempts());
            if (o.replied()) {
                (o.transport() == Transport.TCP ? tcpReplies : udpReplies).increment();
            }
        }
    }

    /** {@return the fan-outs (rounds of requests to the 25 RAIDA) started, including those still running} */
    public long fanOuts() {
        return started.sum();
    }

    /** {@return the fan-outs whose future completed with a {@link ClusterReply}, early or not} */
    public long fanOutsCompleted() {
        return completed.sum();
    }

    /**
     * The fan-outs that a {@link DecisionRule} completed before every RAIDA had ended; a subset of
     * {@link #fanOutsCompleted()}.
     *
     * @return the number of early decisions
     */
    public long fanOutsDecidedEarly() {
        return early.sum();
    }

    /**
     * The fan-outs whose future did not complete with a reply: cancelled by the caller, or failed
     * (e.g. the cluster was closed first).
     *
     * @return the number of such fan-outs
     */
    public long fanOutsFailed() {
        return failed.sum();
    }

    /**
     * The final per-RAIDA outcomes of one kind, over every settled fan-out (25 per fan-out).
     * {@link RaidaOutcome.Kind#PENDING} is never final, so it always counts 0.
     *
     * @param kind the outcome kind, not {@code null}
     * @return how many RAIDA ended their part of a fan-out that way
     */
    public long outcomes(RaidaOutcome.Kind kind) {
        return outcomes[Objects.requireNonNull(kind, "kind").ordinal()].sum();
    }

    /** {@return the RAIDA that replied with a status (any status), over every settled fan-out} */
    public long replies() {
        return outcomes(RaidaOutcome.Kind.STATUS);
    }

    /**
     * The replies whose last attempt went over TCP: frames above the UDP threshold, TCP-only
     * clusters, and fallbacks to TCP after a UDP attempt timed out.
     *
     * @return the replies received over TCP
     */
    public long repliesOverTcp() {
        return tcpReplies.sum();
    }

    /** {@return the replies received over UDP} */
    public long repliesOverUdp() {
        return udpReplies.sum();
    }

    /**
     * The requests sent to RAIDA in settled fan-outs, retries included and calibration requests
     * excluded; more attempts than replies plus failures means RAIDA were retried.
     *
     * @return the attempts made
     */
    public long attempts() {
        return attempts.sum();
    }

    /** {@return the calibration requests sent to learn a RAIDA's keystream mode (auth.md §4)} */
    public long calibrationRequests() {
        return cluster.calibrationRequests();
    }

    /** {@return the requests (calibration requests included) waiting for a reply now} */
    public long inFlight() {
        return cluster.inFlight();
    }

    @Override
    public String toString() {
        return "ClusterStats[fanOuts=" + fanOuts() + ", completed=" + fanOutsCompleted() + ", early="
                + fanOutsDecidedEarly() + ", failed=" + fanOutsFailed() + ", replies=" + replies()
                + ", timeouts=" + outcomes(RaidaOutcome.Kind.TIMEOUT) + ", attempts=" + attempts() + "]";
    }
}
