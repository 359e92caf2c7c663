package io.raida.protocol.client;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.StatusCode;


/**
 * Parses, verifies and decrypts responses to {@link ClientRequest}s (wire-format §9, §7).
 *
 * <p>The header size is found with the robust rule {@code total − size} (§9.3), so a 32-byte
 * early-error reply to a 48-byte request is read correctly. A reply that claims a body decrypted
 * with the request's key is checked: types 0/1/2 by the challenge signature, types 4/5 by the HMAC
 * (constant time) before decryption.
 */
public final class ResponseParser {
    private static final byte[] NONE = new byte[0];

    private ResponseParser() {
    }

    /**
     * {@link #parse(ClientRequest, byte[], int, int)} over a whole array.
     *
     * @param request the request the response answers
     * @param response the complete response
     * @return the verified, decrypted response, of any status
     */
    public static RaidaResponse parse(ClientRequest request, byte[] response) {
        return parse(request, response, 0, response.length);
    }

    /**
     * @param response the complete response: for TCP everything up to EOF, for UDP the datagram
     * @param request the request the response answers
     * @param off where the response starts
     * @param len the response's length
     * @return the verified, decrypted response, of any status
     * @throws MalformedResponseException     if the bytes do not follow the wire format
     * @throws ResponseVerificationException  if the reply is not for this request or fails its MAC
     * @throws UnauthenticatedStatusException if it is an error reply whose echo matches but whose
     *                                        challenge signature does not verify (wrong key)
     */
    public static RaidaResponse parse(ClientRequest request, byte[] response, int off, int len) {
        return parse(request, response, off, len, request.keystream());
    }

    /**
     * Decides the type 1/2 keystream mode of a server from its reply to an encrypted version (0/1)
     * request: the reply decrypts to ASCII digits under exactly one mode (wire-format §7.1).
     *
     * @param versionRequest the type 1/2 version request that was sent
     * @param response the complete reply
     * @return the keystream mode that decrypts the reply
     * @throws ResponseVerificationException if neither mode gives 8 ASCII digits
     */
    public static KeystreamMode calibrate(ClientRequest versionRequest, byte[] response) {
        for (KeystreamMode mode : KeystreamMode.values()) {
            RaidaResponse r = parse(versionRequest, response, 0, response.length, mode);
            if (r.status() != StatusCode.STATUS_SUCCESS.code()) {
                throw new RaidaStatusException(r.status(), "the version request used to calibrate the keystream "
                        + "was answered " + StatusCode.describe(r.status()) + " (auth.md §4 needs a 250 reply)");
            }
            byte[] p = r.payload();
            // auth.md §4: the version is 8 printable ASCII bytes, a known plaintext
            boolean printable = p.length == 8;
            for (byte b : p) {
                printable &= b >= 0x20 && b <= 0x7E;
            }
            if (printable) {
                return mode;
            }
        }
        throw new ResponseVerificationException("reply to the version request decrypts to printable ASCII under "
                + "neither keystream mode: not a type 1/2 version reply for this key");
    }

    private static RaidaResponse parse(ClientRequest req, byte[] b, int off, int len, KeystreamMode mode) {
        if (len < ResponseHeader.LEGACY_SIZE) {
            throw new MalformedResponseException("response of " + len + " bytes is shorter than the 32-byte header");
        }
        int bodySize = Bytes.u24(b, off + 9);
        int hs = ResponseHeader.headerSizeOf(len, bodySize);
        ResponseHeader h = ResponseHeader.decode(b, off, len, hs);
        boolean early = isEarlyHeaderError(h.status());
        // an early error names the answering server in byte 0, which is not the request's RAIDA id
        // when the error is exactly that (status 3): the status is the answer, not a forgery
        if (!early && h.raidaId() != req.raidaId()) {
            throw new ResponseVerificationException("response comes from RAIDA " + h.raidaId()
                    + " but the request went to RAIDA " + req.raidaId());
        }
        if (!early && h.echo() != req.echo()) {
            throw new ResponseVerificationException(String.format(
                    "response echo bytes %04x do not match the request's %04x: reply to another request", h.echo(),
                    req.echo()));
        }
        if (hs == ResponseHeader.LEGACY_SIZE && req.expectedSignature() != null && !early) {
            verifySignature(req, b, off + 16, h);
        }
        if (bodySize == 0) {
            return new RaidaResponse(h, NONE);
        }
        int bodyOff = off + hs;
        if (bodySize < 2 || !Bytes.isTerminator(b, bodyOff + bodySize - 2)) {
            throw new MalformedResponseException("response body of " + bodySize + " bytes does not end in 3E 3E");
        }
        byte[] payload;
        EncryptionType type = req.encryptionType();
        if (hs == ResponseHeader.MODERN_SIZE && type.isModern()) {
            int n = bodySize - Crypto.HMAC_SIZE - 2;
            if (n < 0) {
                throw new MalformedResponseException("type " + type.code() + " response body of " + bodySize
                        + " bytes cannot hold an HMAC and terminator (needs at least 34)");
            }
            Crypto c = Crypto.get();
            if (!c.verifyHmac(req.key32(), b, bodyOff, n, b, bodyOff + n)) {
                throw new ResponseVerificationException("response HMAC does not verify: wrong key, or the body was "
                        + "altered in transit");
            }
            payload = java.util.Arrays.copyOfRange(b, bodyOff, bodyOff + n);
            c.ctr(req.key32(), b, off + 24, payload, 0, n);
        } else if (hs == ResponseHeader.MODERN_SIZE) {
            throw new MalformedResponseException("a 48-byte response with a body answers only types 4/5, but the "
                    + "request was type " + type.code());
        } else if (type.isModern()) {
            // only early header errors get a 32-byte reply to a type 4/5 request, and they have no body:
            // an unauthenticated body here must never be handed out as the payload
            throw new MalformedResponseException("a 32-byte response with a body cannot answer a type " + type.code()
                    + " request (its replies carry a 48-byte header and an HMAC)");
        } else {
            payload = java.util.Arrays.copyOfRange(b, bodyOff, bodyOff + bodySize - 2);
            if (type == EncryptionType.AES128_COIN || type == EncryptionType.AES128_LOCKER) {
                long first = mode == KeystreamMode.CONTINUE ? Crypto.requestBlocks(req.bodySize()) : 0;
                Crypto.get().legacyCtr(req.an(), req.rawFrame(), 24, first, payload, 0, payload.length);
            }
        }
        return new RaidaResponse(h, payload);
    }

    private static void verifySignature(ClientRequest req, byte[] b, int sigOff, ResponseHeader h) {
        boolean zero = true;
        for (int i = 0; i < 16; i++) {
            zero &= b[sigOff + i] == 0;
        }
        boolean result = StatusCode.fromCode(h.status()) != null && StatusCode.fromCode(h.status()).isResult();
        if (zero && !result) {
            return; // the server rejected the body before reading the challenge (16, 33)
        }
        if (!Crypto.constantTimeEquals(b, sigOff, req.expectedSignature(), 0, 16)) {
            if (isErrorStatus(h.status())) {
                // the echo matched: this answers our request, but the server could not prove it read it
                throw new UnauthenticatedStatusException(h.raidaId(), h.status());
            }
            throw new ResponseVerificationException("response challenge signature does not match the request's"
                    + (req.encryptionType() == EncryptionType.NONE ? "" : " (the server does not hold this AN)")
                    + ": reply to another request or forged");
        }
    }

    /** A status that reports a failure: neither success (250) nor a result status (241..243 etc.). */
    static boolean isErrorStatus(int status) {
        StatusCode c = StatusCode.fromCode(status);
        return status != StatusCode.STATUS_SUCCESS.code() && (c == null || !c.isResult());
    }

    /** Statuses raised before the server records echo and signature (wire-format §9.3). */
    static boolean isEarlyHeaderError(int status) {
        return TcpReplyReader.isEarlyHeaderError(status);
    }
}
