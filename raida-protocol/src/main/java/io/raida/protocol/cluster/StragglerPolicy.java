package io.raida.protocol.cluster;

/** What happens to RAIDA still outstanding when a fan-out completes early by its decision rule. */
public enum StragglerPolicy {
    /** Cancel their in-flight calls at once; their outcome is {@link RaidaOutcome.Kind#CANCELLED}. */
    CANCEL,
    /**
     * Let them finish (still bounded by the deadline) for the record: the early reply shows them as
     * {@link RaidaOutcome.Kind#PENDING}; {@link ClusterReply#settled()} completes with every outcome.
     */
    FINISH
}
