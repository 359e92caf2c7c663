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

    /** 25 outcomes, RAIDA 0 first. */
    public List<RaidaOutcome> outcomes() {
        return outcomes;
    }

    /** The outcome of RAIDA {@code raidaId}. */
    public RaidaOutcome outcome(int raidaId) {
        return outcomes.get(io.raida.protocol.RaidaIds.requireRaidaId(raidaId));
    }

    /** Time from the start of the fan-out to this reply. */
    public Duration elapsed() {
        return elapsed;
    }

    /** True when the decision rule completed the fan-out before every RAIDA ended. */
    public boolean decidedEarly() {
        return early;
    }

    /** Completes with all 25 final outcomes once no RAIDA is pending (at once unless stragglers were left to finish). */
    public CompletableFuture<List<RaidaOutcome>> settled() {
        return settled.copy();
    }

    /** RAIDA that replied with any status. */
    public int replied() {
        return (int) outcomes.stream().filter(RaidaOutcome::replied).count();
    }

    /** RAIDA that replied with status 250. */
    public int successes() {
        return countStatus(250);
    }

    /** RAIDA that replied with {@code status}. */
    public int countStatus(int status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** RAIDA whose outcome is of {@code kind}. */
    public int count(RaidaOutcome.Kind kind) {
        return (int) outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /** The status that at least 13 RAIDA replied with, if any (the quorum verdict). */
    public OptionalInt quorumStatus() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (RaidaOutcome o : outcomes) {
            if (o.replied() && counts.merge(o.status(), 1, Integer::sum) >= Grade.QUORUM) {
                return OptionalInt.of(o.status());
            }
        }
        return OptionalInt.empty();
    }

    /** True when at least 13 RAIDA replied, whatever they said. */
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
