package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;

/** Type 0: no key; the body is challenge (CRC-checked) + payload + terminator, sent in clear. */
final class PlainCryptoStep implements CryptoStep {
    static final PlainCryptoStep INSTANCE = new PlainCryptoStep();

    private PlainCryptoStep() {
    }

    @Override
    public int resolveKeys(DecodedRequest r, CoinKeyResolver keys) {
        return 0;
    }

    @Override
    public int openBody(DecodedRequest r) {
        byte[] b = r.body;
        int n = r.bodySize;
        if (n < Crypto.CHALLENGE_SIZE_BYTES + 2) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        System.arraycopy(b, 0, r.signature, 0, Crypto.CHALLENGE_SIZE_BYTES);
        return CryptoStep.acceptChallenge(r);
    }

    @Override
    public int replyBodySize(int payloadLength) {
        return CryptoStep.challengeReplyBodySize(payloadLength);
    }

    @Override
    public void sealReply(DecodedRequest r, byte[] payload, byte[] out, int hs, KeystreamMode legacyKeystream) {
        System.arraycopy(payload, 0, out, hs, payload.length);
        Bytes.putTerminator(out, hs + payload.length);
    }
}
