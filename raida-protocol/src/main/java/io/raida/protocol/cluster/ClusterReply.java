package io.raida.protocol.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The result of one fan-out: an outcome per RAIDA (RAIDA 0 first), counts and the quorum verdict.
 * When it completed early with {@link StragglerPolicy#FINISH}, the still running RAIDA show as
 * {@link RaidaOutcome.Kind#PENDING} and {@link #settled()} gives every final outcome later.
 */
public final class ClusterReply {
    private final List<RaidaOutcome> outcomes;
    private final Duration elapsed;
    private final boolean early;
    private final CompletableFuture<List<RaidaOutcome>> settled;

    ClusterReply(List<RaidaOutcome> outcomes, Duration elapsed, boolean early,
                 CompletableFuture<List<RaidaOutcome>> settled) {
        this.outcomes = List.copyOf(outcomes);
        this.elapsed = elapsed;
        this.early = early;
        this.settled = settled;
    }

    /**
     * 25 outcomes, RAIDA 0 first.
     *
     * @return an immutable list of 25
     */
    public List<RaidaOutcome> outcomes() {
        return outcomes;
    }

    /**
     * The outcome of RAIDA {@code raidaId}.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the outcome, never {@code null}
     */
    public RaidaOutcome outcome(int raidaId) {
        return outcomes.get(io.raida.protocol.RaidaIds.requireRaidaId(raidaId));
    }

    /**
     * Time from the start of the fan-out to this reply.
     *
     * @return the elapsed time
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * True when the decision rule completed the fan-out before every RAIDA ended.
     *
     * @return {@code true} if decided early
     */
    public boolean decidedEarly() {
        return early;
    }

    /**
     * Completes with all 25 final outcomes once no RAIDA is pending (at once unless stragglers were left to finish).
     *
     * @return a new future; cancelling it does not affect the fan-out
     */
    public CompletableFuture<List<RaidaOutcome>> settled() {
        return settled.copy();
    }

    /**
     * RAIDA that replied with any status.
     *
     * @return the count, 0..25
     */
    public int replied() {
        return (int) outcomes.stream().filter(RaidaOutcome::replied).count();
    }

    /**
     * RAIDA that replied with status 250.
     *
     * @return the count, 0..25
     */
    public int successes() {
        return countStatus(250);
    }

    /**
     * RAIDA that replied with {@code status}.
     *
     * @param status the status byte
     * @return the count, 0..25
     */
    public int countStatus(int status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }

    /**
     * RAIDA whose outcome is of {@code kind}.
     *
     * @param kind the outcome kind
     * @return the count, 0..25
     */
    public int count(RaidaOutcome.Kind kind) {
        return (int) outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /**
     * The status that at least 13 RAIDA replied with, if any (the quorum verdict).
     *
     * @return the quorum status, or empty
     */
    public OptionalInt quorumStatus() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (RaidaOutcome o : outcomes) {
            if (o.replied() && counts.merge(o.status(), 1, Integer::sum) >= Grade.QUORUM) {
                return OptionalInt.of(o.status());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * True when at least 13 RAIDA replied, whatever they said.
     *
     * @return {@code true} if 13 or more replied
     */
    public boolean quorumReplied() {
        return replied() >= Grade.QUORUM;
    }

    @Override
    public String toString() {
        return "ClusterReply[" + replied() + " replied, " + successes() + " x 250, quorum "
                + (quorumStatus().isPresent() ? quorumStatus().getAsInt() : "none") + ", " + elapsed.toMillis() + " ms"
                + (early ? ", decided early" : "") + "]";
    }
}
