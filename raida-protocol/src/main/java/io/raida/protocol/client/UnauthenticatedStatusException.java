package io.raida.protocol.client;

import io.raida.protocol.StatusCode;

/**
 * A RAIDA answered a request with an error status in a reply whose echo bytes match but whose
 * challenge signature cannot be verified: typically the server does not hold the key the request
 * was encrypted with (a wrong AN), so it could not decrypt the challenge either. The status is
 * reported at once instead of a timeout, but it is <em>not authenticated</em>: anyone on the path
 * could have sent it. Treat it as "this RAIDA probably rejects the key", never as proof.
 */
public class UnauthenticatedStatusException extends RaidaStatusException {
    private static final long serialVersionUID = 1L;
    /** The RAIDA id of the reply; serialized with the exception. */
    private final int raidaId;

    /**
     * @param raidaId the RAIDA the reply names in its byte 0
     * @param status  the status it carries
     */
    public UnauthenticatedStatusException(int raidaId, int status) {
        super(status, "status " + status + " from RAIDA " + raidaId + ", reply not authenticated ("
                + StatusCode.describe(status) + "; its challenge signature does not verify: the server probably "
                + "does not hold this key)");
        this.raidaId = raidaId;
    }

    /**
     * The RAIDA id in the reply's byte 0.
     *
     * @return the RAIDA id, 0..255 as received
     */
    public int raidaId() {
        return raidaId;
    }
}
