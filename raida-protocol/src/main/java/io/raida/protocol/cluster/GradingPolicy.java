package io.raida.protocol.cluster;

/**
 * When a coin counts as authentic, and so needs no healing (healing.md §4: the RAIDA clients in use
 * differ). The default, {@link #standard()}, is auth.md §3: at least 13 passes and no fail. A
 * stricter policy asks for more passes ({@code 14}, {@code 16}) and may count errors and
 * unanswered RAIDA as needing healing too. Counterfeit (13 fails) and limbo keep their auth.md
 * meaning; a coin with at least 13 passes that the policy does not call authentic is fracked.
 *
 * @param minPasses      passes an authentic coin needs, 13..25
 * @param healUnanswered whether a coin with an {@code n}, {@code e}, {@code b} or {@code u} letter
 *                       is fracked (needs healing) even without a fail
 */
public record GradingPolicy(int minPasses, boolean healUnanswered) {

    /**
     * Checks the range.
     *
     * @param minPasses passes an authentic coin needs, 13..25
     * @param healUnanswered whether a coin with an {@code n}, {@code e}, {@code b} or {@code u} letter is fracked
     *       (needs healing) even without a fail
     */
    public GradingPolicy {
        if (minPasses < Grade.QUORUM || minPasses > RaidaNetwork.SIZE) {
            throw new IllegalArgumentException("minPasses must be " + Grade.QUORUM + "..25, got " + minPasses);
        }
    }

    /**
     * auth.md §3: authentic with at least 13 passes and no fail.
     *
     * @return the standard policy
     */
    public static GradingPolicy standard() {
        return new GradingPolicy(Grade.QUORUM, false);
    }

    /**
     * Authentic only with at least {@code minPasses} passes and no fail (e.g. 14 or 16).
     *
     * @param minPasses passes required, 13..25
     * @return the policy
     */
    public static GradingPolicy minPasses(int minPasses) {
        return new GradingPolicy(minPasses, false);
    }

    /**
     * The grade of {@code pown} under this policy.
     *
     * @param pown the POWN string
     * @return the grade
     */
    public Grade grade(PownString pown) {
        int passes = pown.count('p');
        int fails = pown.count('f');
        boolean clean = fails == 0 && (!healUnanswered || passes == RaidaNetwork.SIZE);
        if (passes >= minPasses && clean) {
            return Grade.AUTHENTIC;
        }
        if (passes >= Grade.QUORUM) {
            return Grade.FRACKED;
        }
        return fails >= Grade.QUORUM ? Grade.COUNTERFEIT : Grade.LIMBO;
    }

    /**
     * RAIDA to fix for a coin with {@code pown}: those that failed; when none failed but the policy
     * still does not call the coin authentic, those that did not pass.
     */
    boolean[] targets(PownString pown) {
        boolean[] t = new boolean[RaidaNetwork.SIZE];
        boolean any = false;
        for (int r = 0; r < t.length; r++) {
            t[r] = pown.letter(r) == 'f';
            any |= t[r];
        }
        if (!any && grade(pown) == Grade.FRACKED) {
            for (int r = 0; r < t.length; r++) {
                t[r] = pown.letter(r) != 'p';
            }
        }
        return t;
    }
}
