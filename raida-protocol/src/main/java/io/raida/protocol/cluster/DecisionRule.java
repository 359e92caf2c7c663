package io.raida.protocol.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides when a fan-out may complete before every RAIDA has ended. Called after each outcome
 * with the outcomes so far (RAIDA id → outcome); must be fast and must not block.
 */
@FunctionalInterface
public interface DecisionRule {

    /**
     * True when no outcome of the RAIDA still outstanding can change the result.
     *
     * @param finished the outcomes so far, by RAIDA id
     * @return {@code true} if decided
     */
    boolean isDecided(Map<Integer, RaidaOutcome> finished);

    /**
     * Never early: wait for all 25.
     *
     * @return the rule
     */
    static DecisionRule allOutcomes() {
        return finished -> false;
    }

    /**
     * Decided once {@code n} RAIDA replied with the same status (e.g. 13, the quorum).
     *
     * @param n the replies with one status needed, 1..25
     * @return the rule
     */
    static DecisionRule sameStatus(int n) {
        if (n < 1 || n > RaidaNetwork.SIZE) {
            throw new IllegalArgumentException("n must be 1..25, got " + n);
        }
        return finished -> {
            Map<Integer, Integer> counts = new HashMap<>();
            for (RaidaOutcome o : finished.values()) {
                if (o.replied() && counts.merge(o.status(), 1, Integer::sum) >= n) {
                    return true;
                }
            }
            return false;
        };
    }
}
