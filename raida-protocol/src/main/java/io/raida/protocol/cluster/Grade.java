package io.raida.protocol.cluster;

/** The grade of a coin from its 25 answers (auth.md §3, quorum 13). */
public enum Grade {
    /** At least 13 passes and no fail. */
    AUTHENTIC,
    /** At least 13 passes and at least one fail: the failed RAIDA need healing. */
    FRACKED,
    /** At least 13 fails. */
    COUNTERFEIT,
    /** Neither: too many RAIDA did not answer or answered with an error. */
    LIMBO;

    /** Votes needed for a decision. */
    public static final int QUORUM = 13;

    /**
     * The grade for {@code passes} passes and {@code fails} fails.
     *
     * @param passes the count of {@code p} letters
     * @param fails the count of {@code f} letters
     * @return the grade
     */
    public static Grade of(int passes, int fails) {
        if (passes >= QUORUM) {
            return fails == 0 ? AUTHENTIC : FRACKED;
        }
        return fails >= QUORUM ? COUNTERFEIT : LIMBO;
    }

    /**
     * The plain lower-case word ({@code authentic}, {@code fracked}, {@code counterfeit}, {@code limbo}).
     *
     * @return the word
     */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The grade if it is already decided with {@code outstanding} RAIDA still to answer, that is if
     * no outcome of theirs (pass, fail or anything else) can change it; {@code null} otherwise.
     *
     * @param passes the passes so far
     * @param fails the fails so far
     * @param outstanding the RAIDA still to answer
     * @return the grade, or {@code null}
     */
    public static Grade decided(int passes, int fails, int outstanding) {
        Grade g = of(passes, fails);
        for (int p = 0; p <= outstanding; p++) {
            for (int f = 0; p + f <= outstanding; f++) {
                if (of(passes + p, fails + f) != g) {
                    return null;
                }
            }
        }
        return g;
    }
}
