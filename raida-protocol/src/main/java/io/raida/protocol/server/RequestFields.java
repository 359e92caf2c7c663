package io.raida.protocol.server;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.internal.Bytes;

/**
 * Flyweight over a received request header (wire-format §2–§5): every field the server reads is
 * named here with its offset, for both header kinds, so no other class indexes header bytes.
 * {@link #HEADER_32} (types 0/1/2) and {@link #HEADER_48} (types 4/5 and unknown types) differ from
 * byte 17 on. Reads the array it wraps; allocates nothing.
 */
final class RequestFields {
    /** The 32-byte header of encryption types 0, 1 and 2. */
    static final int HEADER_32 = RequestHeader.HEADER_32;
    /** The 48-byte header of encryption types 4, 5 and every unknown type. */
    static final int HEADER_48 = RequestHeader.HEADER_48;

    static final int ROUTING = 0;
    static final int SPLIT_ID = 1;
    static final int RAIDA_ID = 2;
    static final int SHARD_ID = 3;
    static final int COMMAND_GROUP = 4;
    static final int COMMAND_CODE = 5;
    static final int COIN_ID = 6;
    static final int ENCRYPTION_TYPE = 16;

    /** HEADER_32: key coin denomination (type 1) or first locker-prefix byte (type 2). */
    static final int H32_KEY_DENOMINATION = 17;
    /** HEADER_32: key coin serial number, u32. */
    static final int H32_KEY_SERIAL = 18;
    /** HEADER_32: the 5-byte locker prefix of type 2 (bytes 17..21). */
    static final int H32_LOCKER_PREFIX = 17;
    static final int H32_BODY_SIZE = 22;
    /** HEADER_32: the 8-byte nonce, also the AES-128-CTR IV source. */
    static final int H32_NONCE = 24;
    static final int H32_ECHO = 30;

    static final int H48_BODY_SIZE = 17;
    static final int H48_KEY_DENOMINATION = 19;
    static final int H48_KEY_SERIAL = 20;
    /** HEADER_48: the 24-byte nonce; its first 16 bytes are the AES-256-CTR IV. */
    static final int H48_NONCE = 24;
    /** HEADER_48, type 5: the second key coin (nonce bytes 0..4). */
    static final int H48_COIN2_DENOMINATION = 24;
    static final int H48_COIN2_SERIAL = 25;
    /** Type 5: the second coin's five bytes the reply repeats at the same place. */
    static final int H48_COIN2_LENGTH = 5;
    static final int H48_ECHO = 46;

    private byte[] h;
    private int size;

    /** Points this flyweight at {@code header} (a complete header of {@code size} bytes). */
    RequestFields wrap(byte[] header, int size) {
        this.h = header;
        this.size = size;
        return this;
    }

    byte[] array() {
        return h;
    }

    int size() {
        return size;
    }

    boolean isHeader32() {
        return size == HEADER_32;
    }

    int routing() {
        return h[ROUTING] & 0xFF;
    }

    int splitId() {
        return h[SPLIT_ID] & 0xFF;
    }

    int raidaId() {
        return h[RAIDA_ID] & 0xFF;
    }

    int shardId() {
        return h[SHARD_ID] & 0xFF;
    }

    int commandGroup() {
        return h[COMMAND_GROUP] & 0xFF;
    }

    int commandCode() {
        return h[COMMAND_CODE] & 0xFF;
    }

    int coinId() {
        return Bytes.u16(h, COIN_ID);
    }

    int encryptionType() {
        return h[ENCRYPTION_TYPE] & 0xFF;
    }

    int bodySize() {
        return Bytes.u16(h, isHeader32() ? H32_BODY_SIZE : H48_BODY_SIZE);
    }

    int echo() {
        return Bytes.u16(h, isHeader32() ? H32_ECHO : H48_ECHO);
    }

    /** Key coin denomination (signed): HEADER_32 byte 17, HEADER_48 byte 19. */
    int keyDenomination() {
        return h[isHeader32() ? H32_KEY_DENOMINATION : H48_KEY_DENOMINATION];
    }

    /** Key coin serial number: HEADER_32 bytes 18..21, HEADER_48 bytes 20..23. */
    long keySerial() {
        return Bytes.u32(h, isHeader32() ? H32_KEY_SERIAL : H48_KEY_SERIAL);
    }

    int secondDenomination() {
        return h[H48_COIN2_DENOMINATION];
    }

    long secondSerial() {
        return Bytes.u32(h, H48_COIN2_SERIAL);
    }

    /** Offset of the nonce (the IV source of both AES modes). */
    int nonceOffset() {
        return isHeader32() ? H32_NONCE : H48_NONCE;
    }

    /** The size of the header that byte 16 of a probe announces (32 or 48). */
    static int headerSizeOf(int encryptionType) {
        return EncryptionType.headerSizeFor(encryptionType);
    }
}
