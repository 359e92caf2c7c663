package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;

/**
 * Types 4 and 5: AES-256-CTR + HMAC-SHA-256 with key SHA-256(AN1 [|| AN2]) (wire-format §7.2). The
 * HMAC is verified before anything is decrypted; the reply is sealed under its own IV (reply bytes
 * 24..39, D-2).
 */
final class Aes256CryptoStep implements CryptoStep {
    static final Aes256CryptoStep ONE_COIN = new Aes256CryptoStep(false);
    static final Aes256CryptoStep TWO_COINS = new Aes256CryptoStep(true);

    private final boolean twoCoins;

    private Aes256CryptoStep(boolean twoCoins) {
        this.twoCoins = twoCoins;
    }

    @Override
    public int resolveKeys(DecodedRequest r, CoinKeyResolver keys) {
        RequestFields f = r.fields;
        byte[] an1 = Aes128CryptoStep.coinAn(keys, f.keyDenomination(), f.keySerial());
        byte[] an2 = null;
        if (twoCoins) {
            an2 = Aes128CryptoStep.coinAn(keys, f.secondDenomination(), f.secondSerial());
            if (an1 == null || an2 == null) {
                return StatusCode.ERROR_ENCRYPTION_COIN_NOT_FOUND.code();
            }
        } else if (an1 == null) {
            return StatusCode.ERROR_ENCRYPTION_COIN_NOT_FOUND.code();
        }
        r.an1 = an1;
        r.key32 = Crypto.get().modernKey(an1, an2);
        return 0;
    }

    @Override
    public int openBody(DecodedRequest r) {
        byte[] b = r.body;
        int n = r.bodySize;
        int trailer = Crypto.HMAC_SIZE + 2;
        if (n < trailer) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        Crypto crypto = Crypto.get();
        if (!crypto.verifyHmac(r.key32, b, 0, n - trailer, b, n - trailer)) {
            return StatusCode.ERROR_INVALID_HMAC.code();
        }
        crypto.ctr(r.key32, r.header, r.fields.nonceOffset(), b, 0, n - trailer);
        r.payloadOff = 0;
        r.payloadLen = n - trailer;
        return 0;
    }

    @Override
    public int replyBodySize(int payloadLength) {
        return payloadLength == 0 ? 0 : payloadLength + Crypto.HMAC_SIZE + 2;
    }

    @Override
    public void sealReply(DecodedRequest r, byte[] payload, byte[] out, int hs, KeystreamMode legacyKeystream) {
        Crypto c = Crypto.get();
        int plen = payload.length;
        // D-2: the IV is exactly reply bytes 24..39 as sent (for type 5 that includes coin 2)
        c.ctr(r.key32, out, ReplyFields.H48_NONCE, payload, 0, plen, out, hs);
        c.hmac(r.key32, out, hs, plen, out, hs + plen);
        Bytes.putTerminator(out, hs + plen + Crypto.HMAC_SIZE);
    }
}
