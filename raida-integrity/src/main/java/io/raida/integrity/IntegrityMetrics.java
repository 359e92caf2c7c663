package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters of one integrity node. Thread-safe; values only grow except the per-denomination build data. */
public final class IntegrityMetrics {
    private final AtomicLongArray lastBuildMillis = new AtomicLongArray(Denominations.COUNT);
    private final AtomicLongArray lastBuildNanos = new AtomicLongArray(Denominations.COUNT);
    private final AtomicLongArray builds = new AtomicLongArray(Denominations.COUNT);
    final AtomicLong votesSent = new AtomicLong();
    final AtomicLong voteRepliesReceived = new AtomicLong();
    final AtomicLong votesMatched = new AtomicLong();
    final AtomicLong voteRequestsAnswered = new AtomicLong();
    final AtomicLong voteRequestsDropped = new AtomicLong();
    final AtomicLong syncCycles = new AtomicLong();
    final AtomicLong pagesHealed = new AtomicLong();
    final AtomicLong healFailures = new AtomicLong();
    final AtomicLong healsSkipped = new AtomicLong();
    final AtomicLong syncCyclesStopped = new AtomicLong();
    final AtomicLong treeBuildFailures = new AtomicLong();

    void recordBuild(int denomination, long epochMillis, long nanos) {
        int i = Denominations.index(denomination);
        lastBuildMillis.set(i, epochMillis);
        lastBuildNanos.set(i, nanos);
        builds.incrementAndGet(i);
    }

    /**
     * Wall-clock time (epoch ms) the denomination's tree was last published; 0 if never.
     *
     * @param denomination the denomination code, -8..6
     * @return epoch milliseconds, or 0
     */
    public long lastBuildEpochMillis(int denomination) {
        return lastBuildMillis.get(Denominations.index(denomination));
    }

    /**
     * How long the last build of the denomination's tree took, in nanoseconds; 0 if never built.
     *
     * @param denomination the denomination code, -8..6
     * @return nanoseconds, or 0
     */
    public long lastBuildNanos(int denomination) {
        return lastBuildNanos.get(Denominations.index(denomination));
    }

    /**
     * How many trees of the denomination were published (full or incremental).
     *
     * @param denomination the denomination code, -8..6
     * @return the count of published trees
     */
    public long builds(int denomination) {
        return builds.get(Denominations.index(denomination));
    }

    /**
     * Votes this node sent to peers.
     *
     * @return the count since start
     */
    public long votesSent() {
        return votesSent.get();
    }

    /**
     * Valid vote replies (17 bytes, nonce echoed, byte 0 or 1) received from peers.
     *
     * @return the count since start
     */
    public long voteRepliesReceived() {
        return voteRepliesReceived.get();
    }

    /**
     * Vote replies that said "match".
     *
     * @return the count since start
     */
    public long votesMatched() {
        return votesMatched.get();
    }

    /**
     * Vote requests from others that this node answered.
     *
     * @return the count since start
     */
    public long voteRequestsAnswered() {
        return voteRequestsAnswered.get();
    }

    /**
     * Vote requests dropped because no tree was built yet (D-17).
     *
     * @return the count since start
     */
    public long voteRequestsDropped() {
        return voteRequestsDropped.get();
    }

    /**
     * Sync cycles run.
     *
     * @return the count since start
     */
    public long syncCycles() {
        return syncCycles.get();
    }

    /**
     * Pages replaced by the healing walk (each verified against the majority tree first).
     *
     * @return the count since start
     */
    public long pagesHealed() {
        return pagesHealed.get();
    }

    /**
     * Pages or walks that could not be healed (peer failed, data did not verify, page absent on the majority).
     *
     * @return the count since start
     */
    public long healFailures() {
        return healFailures.get();
    }

    /**
     * Verified pages not written because the local page changed after the tree snapshot the healing
     * walk compared against (the next cycle looks at it again).
     *
     * @return the count since start
     */
    public long healsSkipped() {
        return healsSkipped.get();
    }

    /**
     * Sync cycles that stopped early because the node was closed or the thread interrupted.
     *
     * @return the count since start
     */
    public long syncCyclesStopped() {
        return syncCyclesStopped.get();
    }

    /**
     * Tree builds that failed on a storage error (the previous tree was kept); interrupted builds are not counted.
     *
     * @return the count since start
     */
    public long treeBuildFailures() {
        return treeBuildFailures.get();
    }

    @Override
    public String toString() {
        return "IntegrityMetrics[votesSent=" + votesSent + ", replies=" + voteRepliesReceived + ", matched="
                + votesMatched + ", answered=" + voteRequestsAnswered + ", dropped=" + voteRequestsDropped
                + ", cycles=" + syncCycles + ", stopped=" + syncCyclesStopped + ", healed=" + pagesHealed
                + ", healFailures=" + healFailures + ", healsSkipped=" + healsSkipped + ", buildFailures="
                + treeBuildFailures + "]";
    }
}
