package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.crypto.KeystreamMode;

/**
 * Builds the request for one RAIDA. Called once per attempt (every attempt gets a fresh challenge
 * and nonce), on whichever thread completed the previous step; must not block.
 */
@FunctionalInterface
public interface ClusterRequests {

    /**
     * @param raidaId   0..24
     * @param keystream the keystream mode learned for this RAIDA (auth.md §4); pass it to
     *                  {@code RequestBuilder.keystream} for type 1/2 requests
     * @return a fresh request for that RAIDA, built on each call
     */
    ClientRequest build(int raidaId, KeystreamMode keystream);
}
