package io.raida.protocol.cluster;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.crypto.KeystreamMode;
import java.util.function.IntFunction;

/**
 * The per-RAIDA requests of one cluster client: unencrypted (type 0), or encrypted with each
 * RAIDA's AN of a key coin (type 1 or 4). One place for what CoinAuthenticator, CoinHealer and
 * LockerClient share: how a request is keyed, how much of the body the encryption takes, and that
 * a type 1 key asks the cluster to calibrate the keystream first.
 */
final class KeyedRequests {
    /** Body bytes besides the payload for types 0/1: challenge (16) and terminator (2). */
    private static final int LEGACY_OVERHEAD = 18;
    /** Body bytes besides the payload for type 4: HMAC (32) and terminator (2). */
    private static final int MODERN_OVERHEAD = 34;

    private final KeyCoin key;

    /**
     * @param key the key coin, or {@code null} for unencrypted requests
     */
    KeyedRequests(KeyCoin key) {
        this.key = key;
    }

    /**
     * Body bytes a request takes besides its payload.
     *
     * @param key the key coin, or {@code null} for unencrypted requests
     * @return 34 for type 4, else 18
     */
    static int overhead(KeyCoin key) {
        return key != null && key.type() == EncryptionType.AES256_ONE_COIN ? MODERN_OVERHEAD : LEGACY_OVERHEAD;
    }

    /**
     * @return body bytes a request of this client takes besides its payload
     */
    int overhead() {
        return overhead(key);
    }

    /**
     * @return whether the cluster must learn each RAIDA's keystream mode before a request (type 1)
     */
    boolean calibrates() {
        return key != null && key.needsCalibration();
    }

    /**
     * Encrypts {@code b} for {@code raidaId} when there is a key coin, and builds it.
     *
     * @param b       the request, payload set
     * @param raidaId 0..24
     * @param mode    the keystream mode learned for that RAIDA
     * @return the request to send
     */
    ClientRequest build(RequestBuilder b, int raidaId, KeystreamMode mode) {
        return (key == null ? b : key.apply(b, raidaId, mode)).build();
    }

    /**
     * A fan-out of command {@code group/code} whose payload for each RAIDA {@code payload} gives,
     * calibrating with the key coin where its type needs it. The caller adds the reply check and
     * the decision rule.
     *
     * @param group   the command group
     * @param code    the command code
     * @param payload RAIDA id → the payload for it (called once per attempt)
     * @return the builder of the call
     */
    ClusterCall.Builder call(int group, int code, IntFunction<byte[]> payload) {
        ClusterCall.Builder b = ClusterCall.builder((id, mode) ->
                build(RequestBuilder.command(id, group, code).payload(payload.apply(id)), id, mode));
        if (calibrates()) {
            b.calibrateWith(key);
        }
        return b;
    }
}
