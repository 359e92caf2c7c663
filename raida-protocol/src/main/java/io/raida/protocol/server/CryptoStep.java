package io.raida.protocol.server;

import io.raida.protocol.Crc32;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.StatusCode;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;

/**
 * The per-encryption-type part of a request (wire-format §6–§7): which key the header names, how
 * the body is checked and decrypted, how the reply body is sealed. One implementation per family:
 * {@link PlainCryptoStep} (type 0), {@link Aes128CryptoStep} (types 1 and 2),
 * {@link Aes256CryptoStep} (types 4 and 5). Stateless; per-request state lives in {@link DecodedRequest}.
 */
interface CryptoStep {

    /** Finds the key(s) the header names; 0 or the status to answer (34, 25). May call user code. */
    int resolveKeys(DecodedRequest r, CoinKeyResolver keys);

    /** Checks and decrypts the body in place (§6.3, reference order); 0 or the status to answer. */
    int openBody(DecodedRequest r);

    /** Body bytes a reply with {@code payloadLength} bytes of payload takes (0 for no payload). */
    int replyBodySize(int payloadLength);

    /** Writes the sealed payload and its trailer (HMAC, terminator) after the reply header at {@code hs}. */
    void sealReply(DecodedRequest r, byte[] payload, byte[] out, int hs, KeystreamMode legacyKeystream);

    /**
     * The end of {@link #openBody} for types 0, 1 and 2, once the challenge is in clear in the first
     * 16 body bytes and the signature is set: its CRC (§6.3), then where the payload lies.
     */
    static int acceptChallenge(DecodedRequest r) {
        r.signatureSet = true;
        if (!Crc32.checkChallenge(r.body, 0)) {
            return StatusCode.ERROR_INVALID_CRC.code();
        }
        r.payloadOff = Crypto.CHALLENGE_SIZE_BYTES;
        r.payloadLen = r.bodySize - Crypto.CHALLENGE_SIZE_BYTES - 2;
        return 0;
    }

    /** {@link #replyBodySize} for types 0, 1 and 2: the payload and the terminator. */
    static int challengeReplyBodySize(int payloadLength) {
        return payloadLength == 0 ? 0 : payloadLength + 2;
    }

    /** The step for a known encryption type. */
    static CryptoStep of(EncryptionType type) {
        switch (type) {
            case NONE:
                return PlainCryptoStep.INSTANCE;
            case AES128_COIN:
                return Aes128CryptoStep.COIN;
            case AES128_LOCKER:
                return Aes128CryptoStep.LOCKER;
            case AES256_ONE_COIN:
                return Aes256CryptoStep.ONE_COIN;
            default:
                return Aes256CryptoStep.TWO_COINS;
        }
    }
}
