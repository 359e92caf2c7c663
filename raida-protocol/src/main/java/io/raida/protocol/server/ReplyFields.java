package io.raida.protocol.server;

import io.raida.protocol.ResponseHeader;
import io.raida.protocol.internal.Bytes;

/**
 * Flyweight that writes a response header (wire-format §9): the offsets of both header kinds are
 * named here so the {@link ReplyEncoder} writes no bare offsets. {@link #HEADER_32} answers types
 * 0/1/2 and the early header errors, {@link #HEADER_48} types 4/5 and unknown types.
 */
final class ReplyFields {
    static final int HEADER_32 = ResponseHeader.HEADER_32;
    static final int HEADER_48 = ResponseHeader.HEADER_48;

    static final int RAIDA_ID = 0;
    static final int STATUS = 2;
    static final int COMMAND_GROUP = 3;
    /** u24 body size, both kinds. */
    static final int BODY_SIZE = 9;

    /** HEADER_32: frame count, u16, always 1. */
    static final int H32_FRAME_COUNT = 4;
    static final int H32_ECHO = 6;
    static final int H32_EXECUTION_MICROS = 12;
    static final int H32_SIGNATURE = 16;
    static final int H32_SIGNATURE_LENGTH = 16;

    static final int H48_EXECUTION_MICROS = 4;
    static final int H48_ENCRYPTION_TYPE = 16;
    static final int H48_DENOMINATION = 17;
    static final int H48_SERIAL = 18;
    /** HEADER_48: the 22 random nonce bytes; bytes 24..39 are the reply's IV (D-2). */
    static final int H48_NONCE = 24;
    static final int H48_NONCE_LENGTH = 22;
    /** HEADER_48: the IV's low counter word starts here; its top bit is cleared (D-3). */
    static final int H48_COUNTER_WORD = 36;
    static final int H48_ECHO = 46;

    private byte[] o;
    private boolean header32;

    ReplyFields wrap(byte[] out, int headerSize) {
        this.o = out;
        this.header32 = headerSize == HEADER_32;
        return this;
    }

    ReplyFields raidaId(int id) {
        o[RAIDA_ID] = (byte) id;
        return this;
    }

    ReplyFields status(int status) {
        o[STATUS] = (byte) status;
        return this;
    }

    ReplyFields commandGroup(int group) {
        o[COMMAND_GROUP] = (byte) group;
        return this;
    }

    ReplyFields bodySize(int size) {
        Bytes.putU24(o, BODY_SIZE, size);
        return this;
    }

    ReplyFields frameCount() {
        if (header32) {
            Bytes.putU16(o, H32_FRAME_COUNT, 1);
        }
        return this;
    }

    ReplyFields echo(int echo) {
        Bytes.putU16(o, header32 ? H32_ECHO : H48_ECHO, echo);
        return this;
    }

    ReplyFields executionMicros(long micros) {
        Bytes.putU32(o, header32 ? H32_EXECUTION_MICROS : H48_EXECUTION_MICROS, micros);
        return this;
    }

    ReplyFields signature(byte[] signature) {
        System.arraycopy(signature, 0, o, H32_SIGNATURE, H32_SIGNATURE_LENGTH);
        return this;
    }

    ReplyFields encryptionType(int type) {
        o[H48_ENCRYPTION_TYPE] = (byte) type;
        return this;
    }

    ReplyFields keyCoin(int denomination, long serial) {
        o[H48_DENOMINATION] = (byte) denomination;
        Bytes.putU32(o, H48_SERIAL, serial);
        return this;
    }

    /** Type 5: repeats the request's second coin (nonce bytes 0..4) at the same place. */
    ReplyFields secondCoin(byte[] requestHeader) {
        System.arraycopy(requestHeader, RequestFields.H48_COIN2_DENOMINATION, o, H48_NONCE,
                RequestFields.H48_COIN2_LENGTH);
        return this;
    }
}
