package io.raida.integrity;

import java.util.List;

/**
 * What one sync cycle did.
 *
 * @param outcome          how the cycle ended
 * @param votesSent        votes sent in stage 1
 * @param matches          peers that answered "match" (self not included)
 * @param noMatchPeers     RAIDA ids that answered "no match"
 * @param ballots          480-byte ballots received in stage 2
 * @param majoritySupport  servers (self included) holding the majority roots vector; 0 if none
 * @param healedPages      pages replaced, as {@code "den/page"}
 * @param failures         pages or walks that could not be healed
 */
public record SyncReport(Outcome outcome, int votesSent, int matches, List<Integer> noMatchPeers, int ballots,
                         int majoritySupport, List<String> healedPages, int failures) {

    /**
     * Copies the lists, so the report cannot change after it was made.
     *
     * @param outcome how the cycle ended
     * @param votesSent votes sent in stage 1
     * @param matches peers that answered "match"
     * @param noMatchPeers RAIDA ids that answered "no match" (copied)
     * @param ballots ballots received in stage 2
     * @param majoritySupport servers holding the majority roots vector; 0 if none
     * @param healedPages pages replaced, as {@code "den/page"} (copied)
     * @param failures pages or walks that could not be healed
     */
    public SyncReport {
        noMatchPeers = List.copyOf(noMatchPeers);
        healedPages = List.copyOf(healedPages);
    }

    /** How a cycle ended. */
    public enum Outcome {
        /** No usable trees (first build not done or a denomination failed to build). */
        SKIPPED,
        /** Own roots are held by at least 13 of 25 servers: nothing to do. */
        IN_MAJORITY,
        /** No roots vector is held by 13 servers (or too few ballots): nothing healed. */
        NO_MAJORITY,
        /** A majority differing from us exists; the healing walk ran (see healedPages and failures). */
        HEALED,
        /**
         * The node was closed (or the thread interrupted) during the cycle, which ended early; healedPages
         * lists the pages written before that, the other counts are 0.
         */
        STOPPED
    }
}
