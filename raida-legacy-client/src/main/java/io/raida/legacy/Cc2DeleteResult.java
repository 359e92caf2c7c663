package io.raida.legacy;

import io.raida.protocol.StatusCode;

/** Outcome of a CC2 hash delete (legacy-cc2.md §4.2), with the RAIDA X status it maps to. */
public enum Cc2DeleteResult {
    /** CC2 241: every listed coin deleted; RAIDA X 250. */
    SUCCESS(StatusCode.STATUS_SUCCESS),
    /** CC2 242: no coin deleted; RAIDA X 242. */
    ALL_FAILED(StatusCode.STATUS_ALL_FAIL),
    /** CC2 243: some deleted (CC2 does not say which); RAIDA X 243. */
    MIXED(StatusCode.STATUS_MIXED);

    private final StatusCode raidaStatus;

    Cc2DeleteResult(StatusCode raidaStatus) {
        this.raidaStatus = raidaStatus;
    }

    /**
     * The RAIDA X status a client is answered with for this result.
     *
     * @return the status, never {@code null}
     */
    public StatusCode raidaStatus() {
        return raidaStatus;
    }
}
