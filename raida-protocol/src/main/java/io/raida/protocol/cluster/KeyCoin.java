package io.raida.protocol.cluster;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.RequestBuilder;
import java.util.Objects;

/**
 * The coin whose per-RAIDA AN keys the requests of a fan-out (auth.md §3): request to RAIDA
 * <i>i</i> is encrypted with the AN that RAIDA holds for this coin, as type 1 (AES-128-CTR) or
 * type 4 (AES-256-CTR + HMAC).
 *
 * @param type AES128_COIN (type 1) or AES256_ONE_COIN (type 4)
 * @param coin the key coin
 */
public record KeyCoin(EncryptionType type, Coin coin) {

    /**
     * Checks the type.
     *
     * @param type AES128_COIN (type 1) or AES256_ONE_COIN (type 4)
     * @param coin the key coin
     */
    public KeyCoin {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(coin, "coin");
        if (type != EncryptionType.AES128_COIN && type != EncryptionType.AES256_ONE_COIN) {
            throw new IllegalArgumentException("a key coin encrypts with type 1 or 4, not type " + type.code());
        }
    }

    /**
     * Type 1 requests keyed with {@code coin}.
     *
     * @param coin the key coin
     * @return the key
     */
    public static KeyCoin type1(Coin coin) {
        return new KeyCoin(EncryptionType.AES128_COIN, coin);
    }

    /**
     * Type 4 requests keyed with {@code coin}.
     *
     * @param coin the key coin
     * @return the key
     */
    public static KeyCoin type4(Coin coin) {
        return new KeyCoin(EncryptionType.AES256_ONE_COIN, coin);
    }

    /**
     * True for type 1, whose replies need the RAIDA's keystream mode (auth.md §4).
     *
     * @return {@code true} for type 1
     */
    public boolean needsCalibration() {
        return type == EncryptionType.AES128_COIN;
    }

    /**
     * Applies this key for RAIDA {@code raidaId} to {@code b}, with {@code mode} for type 1 replies.
     *
     * @param b the request builder
     * @param raidaId the RAIDA id, 0..24
     * @param mode the keystream mode of that RAIDA
     * @return {@code b}
     */
    public RequestBuilder apply(RequestBuilder b, int raidaId, KeystreamMode mode) {
        if (type == EncryptionType.AES128_COIN) {
            return b.encryptWithCoin(coin.denomination(), coin.serialNumber(), coin.anRef(raidaId)).keystream(mode);
        }
        return b.authenticateWithCoin(coin.denomination(), coin.serialNumber(), coin.anRef(raidaId));
    }

    @Override
    public String toString() {
        return "KeyCoin[type " + type.code() + ", den=" + coin.denomination() + ", sn=" + coin.serialNumber() + "]";
    }
}
