package io.raida.protocol.server;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.crypto.Crypto;

/**
 * Encodes a reply (wire-format §9): the header kind of the request (HEADER_32 for types 0/1/2 and
 * early header errors, HEADER_48 otherwise), the fields recorded so far (D-9), the sealed body. The
 * reply array is the only allocation of a request answered with types 0/1.
 */
final class ReplyEncoder {
    private static final byte[] EMPTY = new byte[0];

    private final ServerCore core;
    private final ReplyFields fields = new ReplyFields();

    ReplyEncoder(ServerCore core) {
        this.core = core;
    }

    /** Body bytes a reply with this payload takes under the request's crypto step. */
    static long replyBodySize(DecodedRequest r, int payloadLength) {
        if (payloadLength == 0) {
            return 0;
        }
        return r.crypto == null ? payloadLength + 2L : r.crypto.replyBodySize(payloadLength);
    }

    /** An error reply: the status and the recorded fields, no body. */
    byte[] error(DecodedRequest r, int status) {
        return encode(r, status, EMPTY);
    }

    /** A reply carrying {@code payload} (empty: no body). */
    byte[] encode(DecodedRequest r, int status, byte[] payload) {
        return encode(r, status, payload, fields, true);
    }

    /**
     * An error reply built on another thread while a worker may still be running the request's
     * handler (the deadline timer): its own field writer, and no stats (the caller records the reply
     * only if it is sent). Reads only what decoding recorded, which nothing changes while the handler runs.
     */
    byte[] deadlineError(DecodedRequest r, int status) {
        return encode(r, status, EMPTY, new ReplyFields(), false);
    }

    private byte[] encode(DecodedRequest r, int status, byte[] payload, ReplyFields fields, boolean record) {
        int hs = r.replyHeaderSize;
        boolean header32 = hs == ReplyFields.HEADER_32;
        int plen = payload.length;
        int bodyOut = (int) replyBodySize(r, plen);
        byte[] o = new byte[hs + bodyOut];
        long micros = (System.nanoTime() - r.startNanos) / 1_000;
        ReplyFields f = fields.wrap(o, hs);
        f.raidaId(core.raidaId()).status(status).commandGroup(r.groupRecorded ? r.group : 0).bodySize(bodyOut)
                .executionMicros(micros);
        if (header32) {
            f.frameCount();
            if (r.signatureSet) {
                f.signature(r.signature);
            }
        } else {
            f.encryptionType(r.type);
            Crypto.get().randomBytes(o, ReplyFields.H48_NONCE, ReplyFields.H48_NONCE_LENGTH);
            o[ReplyFields.H48_COUNTER_WORD] &= 0x7F; // D-3: the reply IV's low counter word cannot wrap
            if (r.coinRecorded) {
                f.keyCoin(r.denomination, r.serial);
                if (r.type == EncryptionType.AES256_TWO_COINS.code()) {
                    f.secondCoin(r.header);
                }
            }
        }
        if (r.echoRecorded) {
            f.echo(r.echo);
        }
        if (plen > 0) {
            r.crypto.sealReply(r, payload, o, hs, core.legacyReplyKeystream());
        }
        if (record) {
            core.stats().recordResponse(r.transport, status, micros);
        }
        return o;
    }
}
