package io.raida.protocol.server;

import io.raida.protocol.Denominations;
import io.raida.protocol.StatusCode;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;

/**
 * Types 1 and 2: AES-128-CTR keyed with one AN, IV from the 8-byte nonce (wire-format §7.1). Type 1
 * names a coin (bytes 17..21), type 2 a locker by its 5-byte prefix. The decrypted challenge XOR the
 * AN is the signature the reply returns.
 */
final class Aes128CryptoStep implements CryptoStep {
    static final Aes128CryptoStep COIN = new Aes128CryptoStep(false);
    static final Aes128CryptoStep LOCKER = new Aes128CryptoStep(true);

    private final boolean locker;

    private Aes128CryptoStep(boolean locker) {
        this.locker = locker;
    }

    @Override
    public int resolveKeys(DecodedRequest r, CoinKeyResolver keys) {
        RequestFields f = r.fields;
        byte[] an = locker ? keys.lockerAn(f.array(), RequestFields.H32_LOCKER_PREFIX)
                : coinAn(keys, f.keyDenomination(), f.keySerial());
        if (an == null || an.length != Crypto.AN_SIZE) {
            return StatusCode.ERROR_INVALID_ENCRYPTION.code();
        }
        r.an1 = an;
        return 0;
    }

    /** D-32: only denominations -8..6 and serial numbers below 1 024 000 can name a key. */
    static byte[] coinAn(CoinKeyResolver keys, int den, long sn) {
        if (!Denominations.isValid(den) || !Denominations.isValidSerial(sn)) {
            return null;
        }
        byte[] an = keys.coinAn(den, sn);
        return an != null && an.length == Crypto.AN_SIZE ? an : null;
    }

    @Override
    public int openBody(DecodedRequest r) {
        byte[] b = r.body;
        int n = r.bodySize;
        // the reference decrypts before it checks the length (D-13)
        Crypto.get().legacyCtr(r.an1, r.header, r.fields.nonceOffset(), 0, b, 0, n - 2);
        if (n < Crypto.CHALLENGE_SIZE_BYTES + 2) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        for (int i = 0; i < Crypto.CHALLENGE_SIZE_BYTES; i++) {
            r.signature[i] = (byte) (b[i] ^ r.an1[i]);
        }
        return CryptoStep.acceptChallenge(r);
    }

    @Override
    public int replyBodySize(int payloadLength) {
        return CryptoStep.challengeReplyBodySize(payloadLength);
    }

    @Override
    public void sealReply(DecodedRequest r, byte[] payload, byte[] out, int hs, KeystreamMode legacyKeystream) {
        // D-1: reference servers with AES-NI continue the request's keystream; others restart it
        long first = legacyKeystream == KeystreamMode.CONTINUE ? Crypto.requestBlocks(r.bodySize) : 0;
        Crypto.get().legacyCtr(r.an1, r.header, r.fields.nonceOffset(), first, payload, 0, payload.length, out, hs);
        Bytes.putTerminator(out, hs + payload.length);
    }
}
