package io.raida.legacy;

import io.raida.protocol.Crc32;
import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Byte-exact CC2 codec (legacy-cc2.md §3, §4): request frames for detect ({@code 00 01}) and hash
 * delete ({@code 00 36}), their decoders (used by the CC2 simulator, a test fixture), and the 12-byte reply header.
 * Every size is validated before anything is allocated.
 */
final class Cc2Frames {
    static final int HEADER_SIZE = 22;
    static final int CHALLENGE_SIZE = Crc32.CHALLENGE_SIZE;
    /** Where the payload starts: after header and challenge. */
    static final int PAYLOAD_OFFSET = HEADER_SIZE + CHALLENGE_SIZE;
    /** Body bytes that are not payload: challenge + terminator. */
    static final int BODY_OVERHEAD = CHALLENGE_SIZE + Bytes.TERMINATOR_SIZE;
    static final int MAX_BODY = 0xFFFF;

    static final int CMD_DETECT = 0x01;
    static final int CMD_HASH_DELETE = 0x36;
    static final int COIN_ID = 1;
    static final int ECHO = 0x1111;
    /** Header byte 6: uninitialised in the reference (D-6), defined here as 0. */
    static final int CHECKSUM_BYTE = 0;

    static final int DETECT_RECORD_SIZE = 3 + Cc2Coin.AN_SIZE;
    /** Hash delete: range count (1) + AN (16) + PG (16) around the 3-byte SNs. */
    static final int DELETE_FIXED_SIZE = 1 + 2 * Cc2Coin.AN_SIZE;
    static final int MAX_DETECT_COINS = (MAX_BODY - BODY_OVERHEAD) / DETECT_RECORD_SIZE;
    static final int MAX_DELETE_COINS = (MAX_BODY - BODY_OVERHEAD - DELETE_FIXED_SIZE) / 3;

    static final int REPLY_HEADER_SIZE = 12;
    static final int CC2_ALL_PASS = 241;
    static final int CC2_ALL_FAIL = 242;
    static final int CC2_MIXED = 243;

    private static final byte[] CHALLENGE = new byte[CHALLENGE_SIZE];

    static {
        java.util.Arrays.fill(CHALLENGE, 0, 12, (byte) 0x10);
        Crc32.sealChallenge(CHALLENGE, 0);
    }

    private Cc2Frames() {
    }

    /** The fixed challenge {@code 10 × 12 || CRC32} = {@code ... 31 4C E2 E7}. */
    static byte[] challenge() {
        return CHALLENGE.clone();
    }

    /** Detect request: {@code SN24 || AN} per coin, in order (§3.3). */
    static byte[] detectRequest(int raidaId, List<Cc2Coin> coins) {
        Objects.requireNonNull(coins, "coins");
        int n = coins.size();
        if (n == 0) {
            throw new Cc2RequestException("a CC2 detect needs at least one coin", StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (n > MAX_DETECT_COINS) {
            throw new Cc2RequestException(n + " coins do not fit one CC2 detect: the 16-bit body length allows at most "
                    + MAX_DETECT_COINS, StatusCode.ERROR_TOO_MANY_COINS);
        }
        for (int i = 0; i < n; i++) {
            if (coins.get(i) == null) {
                throw new Cc2RequestException("coin " + i + " is null", StatusCode.ERROR_INVALID_PARAMETER);
            }
        }
        byte[] f = frame(raidaId, CMD_DETECT, n * DETECT_RECORD_SIZE);
        int off = PAYLOAD_OFFSET;
        for (Cc2Coin c : coins) {
            Bytes.putU24(f, off, (int) c.sn());
            c.copyAnTo(f, off + 3);
            off += DETECT_RECORD_SIZE;
        }
        return f;
    }

    /** Hash delete: no ranges, the SN list, the AN, 16 zero PG bytes (§3.4). */
    static byte[] hashDeleteRequest(int raidaId, long[] sns, byte[] an) {
        Objects.requireNonNull(sns, "sns");
        int n = sns.length;
        if (n == 0) {
            throw new Cc2RequestException("a CC2 hash delete needs at least one serial number",
                    StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (n > MAX_DELETE_COINS) {
            throw new Cc2RequestException(n + " serial numbers do not fit one CC2 hash delete: the 16-bit body length "
                    + "allows at most " + MAX_DELETE_COINS, StatusCode.ERROR_TOO_MANY_COINS);
        }
        for (long sn : sns) {
            Cc2Coin.checkSn(sn);
        }
        Cc2Coin.checkAn(an);
        byte[] f = frame(raidaId, CMD_HASH_DELETE, 3 * n + DELETE_FIXED_SIZE);
        int off = PAYLOAD_OFFSET;
        f[off++] = 0; // number of SN ranges: none, an explicit list follows
        for (long sn : sns) {
            Bytes.putU24(f, off, (int) sn);
            off += 3;
        }
        System.arraycopy(an, 0, f, off, Cc2Coin.AN_SIZE);
        // the 16 PG bytes stay zero
        return f;
    }

    /** Header, challenge and terminator around a payload of {@code payloadLen} zero bytes. */
    private static byte[] frame(int raidaId, int command, int payloadLen) {
        if (raidaId < 0 || raidaId > 255) {
            throw new IllegalArgumentException("raida id is one byte, got " + raidaId);
        }
        int body = CHALLENGE_SIZE + payloadLen + Bytes.TERMINATOR_SIZE;
        byte[] f = new byte[HEADER_SIZE + body];
        // bytes 0 cloud, 1 split, 3 shard, 4 CMD0, 9..11 reserved, 16 encryption, 17..21 encryption coin: 0
        f[2] = (byte) raidaId;
        f[5] = (byte) command;
        f[6] = (byte) CHECKSUM_BYTE;
        Bytes.putU16(f, 7, COIN_ID);
        Bytes.putU16(f, 12, ECHO);
        Bytes.putU16(f, 14, body);
        System.arraycopy(CHALLENGE, 0, f, HEADER_SIZE, CHALLENGE_SIZE);
        Bytes.putTerminator(f, f.length - 2);
        return f;
    }

    // ---------------------------------------------------------------- request decoding (back end side)

    /** A request frame that cannot be served; {@code status} is what the simulator answers. */
    static final class MalformedRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        MalformedRequest(StatusCode status, String message) {
            super(message, null, false, false);
            this.status = status.code();
        }
    }

    /** A decoded request header + payload. */
    record Request(int raidaId, int shard, int command0, int command1, int checksum, int coinId, int echo,
                   int bodyLength, byte[] payload) {
        int command() {
            return command0 << 8 | command1;
        }
    }

    /** Body length announced in a 22-byte request header. */
    static int bodyLength(byte[] header) {
        return Bytes.u16(header, 14);
    }

    /**
     * Decodes a request from its header and the {@link #bodyLength(byte[])} body bytes that follow it.
     *
     * @throws MalformedRequest if the body cannot hold challenge and terminator, the challenge CRC is
     *                          wrong or the terminator is missing
     */
    static Request decodeRequest(byte[] header, byte[] body) {
        int bodyLen = bodyLength(header);
        if (body.length != bodyLen || bodyLen < BODY_OVERHEAD) {
            throw new MalformedRequest(StatusCode.ERROR_INVALID_PACKET_LENGTH, "body of " + body.length
                    + " bytes, header says " + bodyLen + ", at least " + BODY_OVERHEAD + " needed");
        }
        if (!Crc32.checkChallenge(body, 0)) {
            throw new MalformedRequest(StatusCode.ERROR_INVALID_CRC, "challenge CRC does not match");
        }
        if (!Bytes.isTerminator(body, bodyLen - 2)) {
            throw new MalformedRequest(StatusCode.ERROR_INVALID_EOF, "body does not end in 3E 3E");
        }
        byte[] payload = java.util.Arrays.copyOfRange(body, CHALLENGE_SIZE, bodyLen - 2);
        return new Request(Bytes.u8(header, 2), Bytes.u8(header, 3), Bytes.u8(header, 4), Bytes.u8(header, 5),
                Bytes.u8(header, 6), Bytes.u16(header, 7), Bytes.u16(header, 12), bodyLen, payload);
    }

    /** The coins of a detect payload. */
    static List<Cc2Coin> decodeDetectPayload(byte[] p) {
        if (p.length == 0 || p.length % DETECT_RECORD_SIZE != 0) {
            throw new MalformedRequest(StatusCode.ERROR_COINS_NOT_DIV, "detect payload of " + p.length
                    + " bytes is not a positive multiple of " + DETECT_RECORD_SIZE);
        }
        List<Cc2Coin> coins = new ArrayList<>(p.length / DETECT_RECORD_SIZE);
        for (int off = 0; off < p.length; off += DETECT_RECORD_SIZE) {
            coins.add(new Cc2Coin(Bytes.u24(p, off), java.util.Arrays.copyOfRange(p, off + 3, off + DETECT_RECORD_SIZE)));
        }
        return coins;
    }

    /** A decoded hash-delete payload. */
    record HashDelete(long[] sns, byte[] an, byte[] pg) {
    }

    /** The SNs, AN and PG of a hash-delete payload (explicit list only: a range count other than 0 is refused). */
    static HashDelete decodeHashDeletePayload(byte[] p) {
        if (p.length < DELETE_FIXED_SIZE + 3 || (p.length - DELETE_FIXED_SIZE) % 3 != 0) {
            throw new MalformedRequest(StatusCode.ERROR_INVALID_PACKET_LENGTH, "hash delete payload of " + p.length
                    + " bytes is not 33 + 3n (n >= 1)");
        }
        if (p[0] != 0) {
            throw new MalformedRequest(StatusCode.ERROR_INVALID_PARAMETER, "hash delete with " + Bytes.u8(p, 0)
                    + " SN ranges: only an explicit SN list is supported");
        }
        int n = (p.length - DELETE_FIXED_SIZE) / 3;
        long[] sns = new long[n];
        for (int i = 0; i < n; i++) {
            sns[i] = Bytes.u24(p, 1 + 3 * i);
        }
        int anOff = 1 + 3 * n;
        return new HashDelete(sns, java.util.Arrays.copyOfRange(p, anOff, anOff + 16),
                java.util.Arrays.copyOfRange(p, anOff + 16, anOff + 32));
    }

    // ---------------------------------------------------------------- reply

    /**
     * The 12-byte reply header (§4.1; layout inferred): 0 RAIDA id, 1 shard, 2 status, 3 command group,
     * 4..5 frame count, 6..7 echo, 8 reserved, 9..11 length (unsigned 24-bit, counts this header, D-7).
     */
    record ReplyHeader(int raidaId, int shard, int status, int commandGroup, int frameCount, int echo, int length) {

        static ReplyHeader decode(byte[] b, int off) {
            return new ReplyHeader(Bytes.u8(b, off), Bytes.u8(b, off + 1), Bytes.u8(b, off + 2), Bytes.u8(b, off + 3),
                    Bytes.u16(b, off + 4), Bytes.u16(b, off + 6), Bytes.u24(b, off + 9));
        }

        void encode(byte[] b, int off) {
            b[off] = (byte) raidaId;
            b[off + 1] = (byte) shard;
            b[off + 2] = (byte) status;
            b[off + 3] = (byte) commandGroup;
            Bytes.putU16(b, off + 4, frameCount);
            Bytes.putU16(b, off + 6, echo);
            b[off + 8] = 0;
            Bytes.putU24(b, off + 9, length);
        }

        /** Bitmap bytes this header announces ({@code length − 12}); negative if the length is below 13. */
        int bitmapLength() {
            return length - REPLY_HEADER_SIZE;
        }
    }

    /** A reply as the simulator sends it: header with length {@code 12 + extra.length}, then {@code extra}. */
    static byte[] reply(int raidaId, int status, int echo, byte[] extra) {
        byte[] r = new byte[REPLY_HEADER_SIZE + extra.length];
        new ReplyHeader(raidaId, 0, status, 0, 1, echo, r.length).encode(r, 0);
        System.arraycopy(extra, 0, r, REPLY_HEADER_SIZE, extra.length);
        return r;
    }
}
