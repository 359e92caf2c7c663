package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.client.MalformedResponseException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips of the header codecs, the CRC vectors of wire-format §8 and the small value types. */
class HeaderCodecTest {
    private static final int ROUNDS = 5_000;

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void requestHeaderRoundTripsBothSizes() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < ROUNDS; i++) {
            int type = i % 3 == 0 ? r.nextInt(256) : new int[] {0, 1, 2, 4, 5}[r.nextInt(5)];
            int size = EncryptionType.headerSizeFor(type);
            RequestHeader h = new RequestHeader(r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256),
                    r.nextInt(256), r.nextInt(256), r.nextInt(0x10000), r.nextInt(256), r.nextInt(0x10000),
                    r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), type,
                    r.nextInt(0x10000), r.nextInt(256) - 128, r.nextLong(0x1_0000_0000L),
                    randomBytes(r, size == 32 ? 8 : 24));
            byte[] enc = h.encode();
            assertThat(enc).hasSize(size);
            assertThat(h.size()).isEqualTo(size);
            RequestHeader back = RequestHeader.decode(enc);
            assertThat(back).isEqualTo(h);
            assertThat(back.bodySize()).isEqualTo(h.bodySize());
            assertThat(back.denomination()).isEqualTo(h.denomination());
            assertThat(back.serialNumber()).isEqualTo(h.serialNumber());
            assertThat(back.nonce()).isEqualTo(h.nonce());
            // and from random bytes: every header byte maps to one component
            byte[] raw = randomBytes(r, size);
            raw[16] = (byte) type;
            assertThat(RequestHeader.decode(raw).encode()).isEqualTo(raw);
            byte[] padded = new byte[size + 5];
            h.encode(padded, 3);
            assertThat(RequestHeader.decode(padded, 3, size)).isEqualTo(h);
        }
    }

    @Test
    void requestHeaderFieldOffsets() {
        byte[] nonce8 = Bytes.fromHex("a0a1a2a3a4a5abcd");
        RequestHeader legacy = new RequestHeader(1, 0, 14, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0, 0, 1, 18, 0, 1, nonce8);
        assertThat(Bytes.hex(legacy.encode()))
                .isEqualTo("0100" + "0e00" + "0001" + "0006" + "0000000000000000" + "01" + "00" + "00000001" + "0012"
                        + "a0a1a2a3a4a5abcd");
        assertThat(legacy.echo()).isEqualTo(0xABCD);
        assertThat(legacy.type()).isEqualTo(EncryptionType.AES128_COIN);
        byte[] nonce24 = Bytes.fromHex("0000000002" + "2f303132333435363738393a3b3c3d3e3f4041");
        RequestHeader modern = new RequestHeader(1, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0, 0, 5, 0x22, -8, 5, nonce24);
        byte[] m = modern.encode();
        assertThat(Bytes.hex(m, 16, 8)).isEqualTo("05" + "0022" + "f8" + "00000005");
        assertThat(modern.secondDenomination()).isZero();
        assertThat(modern.secondSerialNumber()).isEqualTo(2);
        assertThat(modern.echo()).isEqualTo(0x4041);
        RequestHeader locker = new RequestHeader(1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 2, 18, 0x0a,
                0x0b0c0d0eL, nonce8);
        assertThat(locker.lockerPrefix()).isEqualTo(Bytes.fromHex("0a0b0c0d0e"));
        assertThat(new RequestHeader(1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, new byte[24]).type()).isNull();
    }

    @Test
    void requestHeaderRejectsBadValuesWithClearMessages() {
        assertThatThrownBy(() -> RequestHeader.decode(new byte[16])).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("at least 17");
        byte[] b = new byte[40];
        b[16] = 4;
        assertThatThrownBy(() -> RequestHeader.decode(b)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("48-byte header, got 40");
        assertThatThrownBy(() -> new RequestHeader(1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce must be 24 bytes");
        assertThatThrownBy(() -> new RequestHeader(1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x10000, 0, 0,
                new byte[8])).hasMessageContaining("bodySize must be 0..65535");
        assertThatThrownBy(() -> new RequestHeader(1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1,
                new byte[8])).hasMessageContaining("serialNumber");
    }

    @Test
    void responseHeaderRoundTripsBothSizes() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < ROUNDS; i++) {
            ResponseHeader h = i % 2 == 0
                    ? new ResponseHeader(32, r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256),
                    r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(256), r.nextInt(0x1000000),
                    r.nextLong(0x1_0000_0000L), randomBytes(r, 16), 0, 0, 0, new byte[0])
                    : new ResponseHeader(48, r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), 0,
                    r.nextInt(0x10000), r.nextInt(256), r.nextInt(0x1000000), r.nextLong(0x1_0000_0000L),
                    new byte[0], r.nextInt(256), r.nextInt(256) - 128, r.nextLong(0x1_0000_0000L), randomBytes(r, 22));
            byte[] enc = h.encode();
            assertThat(enc).hasSize(h.size());
            ResponseHeader back = ResponseHeader.decode(enc, 0, enc.length, h.size());
            assertThat(back).isEqualTo(h);
            assertThat(back.signature()).isEqualTo(h.signature());
            assertThat(back.nonce()).isEqualTo(h.nonce());
            assertThat(back.executionMicros()).isEqualTo(h.executionMicros());
            // random bytes (reserved bytes 12..15 and 22..23 of the 48-byte form are zero on the wire)
            byte[] raw = randomBytes(r, h.size());
            if (h.size() == 48) {
                raw[12] = raw[13] = raw[14] = raw[15] = raw[22] = raw[23] = 0;
            }
            assertThat(ResponseHeader.decode(raw, 0, raw.length, h.size()).encode()).isEqualTo(raw);
        }
    }

    @Test
    void responseHeaderFieldOffsetsAndSizeRule() {
        ResponseHeader legacy = ResponseHeader.legacy(14, 250, 0, 0xABCD, 10, 0x01020304L, new byte[16]);
        assertThat(Bytes.hex(legacy.encode(), 0, 16)).isEqualTo("0e00fa000001abcd0000000a01020304");
        ResponseHeader modern = ResponseHeader.modern(14, 250, 0, 42, 500, 4, 0, 1, new byte[22], 0x4647);
        assertThat(Bytes.hex(modern.encode(), 0, 24)).isEqualTo("0e00fa00000001f40000002a00000000040000000001" + "0000");
        assertThat(Bytes.hex(modern.encode(), 46, 2)).isEqualTo("4647");
        assertThat(modern.statusCode()).isEqualTo(StatusCode.STATUS_SUCCESS);
        assertThat(ResponseHeader.headerSizeOf(42, 10)).isEqualTo(32);
        assertThat(ResponseHeader.headerSizeOf(90, 42)).isEqualTo(48);
        assertThatThrownBy(() -> ResponseHeader.headerSizeOf(40, 10)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("leaving 30 header bytes");
        assertThatThrownBy(() -> ResponseHeader.decode(new byte[40], 0, 40, 48))
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("48-byte header, got 40");
        assertThatThrownBy(() -> ResponseHeader.decode(new byte[40], 0, 40, 40))
                .isInstanceOf(MalformedResponseException.class);
    }

    @Test
    void crcVectorsOfWireFormatSection8() {
        assertThat(Crc32.of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0xCBF43926L);
        assertThat(Crc32.of(new byte[12], 0, 12)).isEqualTo(0x7BD5C66FL);
        byte[] ff = new byte[12];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        assertThat(Crc32.of(ff, 0, 12)).isEqualTo(0xBB99FF8AL);
        assertThat(Crc32.of("Hello World!".getBytes(StandardCharsets.US_ASCII), 0, 12)).isEqualTo(0x1C291CA3L);
        byte[] tens = new byte[12];
        java.util.Arrays.fill(tens, (byte) 0x10);
        assertThat(Crc32.of(tens, 0, 12)).isEqualTo(0x314CE2E7L);
        // the worked-example challenge: 00..0B sealed with 92 70 C9 65, big-endian on the wire
        byte[] ch = new byte[16];
        for (int i = 0; i < 12; i++) {
            ch[i] = (byte) i;
        }
        Crc32.sealChallenge(ch, 0);
        assertThat(Bytes.hex(ch, 12, 4)).isEqualTo("9270c965");
        assertThat(Crc32.checkChallenge(ch, 0)).isTrue();
        ch[15] ^= 1;
        assertThat(Crc32.checkChallenge(ch, 0)).isFalse();
        // the capture's challenge seed 01..0C
        byte[] seed = Bytes.fromHex("0102030405060708090a0b0c00000000");
        Crc32.sealChallenge(seed, 0);
        assertThat(Bytes.hex(seed, 12, 4)).isEqualTo("925fc655");
    }

    @Test
    void valueTypes() {
        for (int t = 0; t < 256; t++) {
            assertThat(EncryptionType.headerSizeFor(t)).isEqualTo(t <= 2 ? 32 : 48);
            EncryptionType e = EncryptionType.fromCode(t);
            assertThat(e == null).isEqualTo(t == 3 || t > 5);
            if (e != null) {
                assertThat(e.code()).isEqualTo(t);
                assertThat(e.headerSize()).isEqualTo(EncryptionType.headerSizeFor(t));
                assertThat(e.isModern()).isEqualTo(t >= 4);
            }
            CommandGroup g = CommandGroup.fromCode(t);
            assertThat(g == null).isEqualTo(t > 15);
            if (g != null) {
                assertThat(g.code()).isEqualTo(t);
            }
        }
        // every status of wire-format §10, and nothing else
        int[] codes = {0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 18, 20, 25, 27, 33, 34, 36, 37, 38, 39, 40, 41, 42, 43, 44,
            45, 46, 47, 48, 49, 50, 51, 52, 89, 90, 148, 149, 150, 152, 153, 154, 160, 177, 178, 179, 180, 181, 182,
            183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 201, 202, 203, 204,
            205, 208, 209, 210, 211, 241, 242, 243, 250, 252, 253, 254, 255};
        assertThat(StatusCode.values()).hasSize(codes.length);
        for (int c : codes) {
            assertThat(StatusCode.fromCode(c)).as("status %d", c).isNotNull();
            assertThat(StatusCode.fromCode(c).code()).isEqualTo(c);
        }
        assertThat(StatusCode.fromCode(8)).isNull();
        assertThat(StatusCode.fromCode(256)).isNull();
        assertThat(StatusCode.describe(37)).isEqualTo("ERROR_INVALID_CRC(37)");
        assertThat(StatusCode.describe(99)).isEqualTo("UNKNOWN(99)");
        assertThat(StatusCode.ERROR_INVALID_HMAC.code()).isEqualTo(204);
        assertThat(StatusCode.STATUS_MIXED.isResult()).isTrue();
        assertThat(StatusCode.ERROR_INTERNAL.isResult()).isFalse();
        assertThat(Denominations.index(-8)).isZero();
        assertThat(Denominations.fromIndex(14)).isEqualTo(6);
        assertThat(Denominations.isValidSerial(1_023_999)).isTrue();
        assertThat(Denominations.isValidSerial(1_024_000)).isFalse();
        assertThatThrownBy(() -> Denominations.index(7)).hasMessageContaining("-8..6");
        // big-endian helpers
        byte[] b = new byte[8];
        Bytes.putU64(b, 0, 0x0102030405060708L);
        assertThat(Bytes.hex(b)).isEqualTo("0102030405060708");
        Bytes.putU32(b, 0, 0xFFFFFFFEL);
        assertThat(Bytes.u32(b, 0)).isEqualTo(0xFFFFFFFEL);
        Bytes.putU24(b, 0, 0xABCDEF);
        assertThat(Bytes.u24(b, 0)).isEqualTo(0xABCDEF);
        Bytes.putTerminator(b, 6);
        assertThat(Bytes.isTerminator(b, 6)).isTrue();
        assertThat(Bytes.hex(b, 6, 2)).isEqualTo("3e3e");
    }
}
