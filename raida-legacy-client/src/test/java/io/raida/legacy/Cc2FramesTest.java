package io.raida.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.Crc32;
import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact request frames (legacy-cc2.md §3, §5), their decoders, and the reply header. */
class Cc2FramesTest {
    private static final byte[] AN_00_0F = Bytes.fromHex("000102030405060708090A0B0C0D0E0F");

    /** §5, first example: detect one coin, SN 258, RAIDA 14 (59 bytes). */
    @Test
    void detectWorkedExampleIsByteExact() {
        byte[] f = Cc2Frames.detectRequest(14, List.of(new Cc2Coin(258, AN_00_0F)));
        byte[] expected = Bytes.fromHex(
                "00 00 0E 00 00 01 00 00 01 00 00 00 11 11 00 25 00 00 00 00 00 00"
                        + "10 10 10 10 10 10 10 10 10 10 10 10 31 4C E2 E7"
                        + "00 01 02 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F"
                        + "3E 3E");
        assertThat(f).hasSize(59).isEqualTo(expected);
        assertHeader(f, 0x01, 0x25);
        assertThat(Bytes.u24(f, 38)).isEqualTo(258);
    }

    /** §5, second example: hash delete SNs 5 and 6 (79 bytes, body length 0x39). */
    @Test
    void hashDeleteWorkedExampleIsByteExact() {
        byte[] f = Cc2Frames.hashDeleteRequest(14, new long[] {5, 6}, AN_00_0F);
        byte[] expected = Bytes.fromHex(
                "00 00 0E 00 00 36 00 00 01 00 00 00 11 11 00 39 00 00 00 00 00 00"
                        + "10 10 10 10 10 10 10 10 10 10 10 10 31 4C E2 E7"
                        + "00  00 00 05  00 00 06  00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F"
                        + "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                        + "3E 3E");
        assertThat(f).hasSize(79).isEqualTo(expected);
        assertHeader(f, 0x36, 0x39);
    }

    /** Every header field of §3.1, one by one. */
    private static void assertHeader(byte[] f, int cmd1, int bodyLength) {
        assertThat(f[0]).as("cloud id").isEqualTo((byte) 0x00);
        assertThat(f[1]).as("split id").isEqualTo((byte) 0x00);
        assertThat(f[2]).as("raida id").isEqualTo((byte) 14);
        assertThat(f[3]).as("shard id").isEqualTo((byte) 0x00);
        assertThat(f[4]).as("CMD0").isEqualTo((byte) 0x00);
        assertThat(f[5]).as("CMD1").isEqualTo((byte) cmd1);
        assertThat(f[6]).as("checksum byte, defined as 00 (D-6)").isEqualTo((byte) 0x00);
        assertThat(Bytes.u16(f, 7)).as("coin id").isEqualTo(1);
        assertThat(Bytes.hex(f, 9, 3)).as("reserved").isEqualTo("000000");
        assertThat(Bytes.u16(f, 12)).as("echo").isEqualTo(0x1111);
        assertThat(Bytes.u16(f, 14)).as("body length").isEqualTo(bodyLength).isEqualTo(f.length - 22);
        assertThat(f[16]).as("encryption type").isEqualTo((byte) 0x00);
        assertThat(Bytes.hex(f, 17, 5)).as("encryption coin id").isEqualTo("0000000000");
        assertThat(Bytes.hex(f, 22, 16)).as("challenge").isEqualTo("101010101010101010101010314ce2e7");
        assertThat(Crc32.checkChallenge(f, 22)).isTrue();
        assertThat(Bytes.isTerminator(f, f.length - 2)).as("terminator").isTrue();
    }

    @Test
    void challengeIsTwelveTimes10AndItsCrc() {
        assertThat(Bytes.hex(Cc2Frames.challenge())).isEqualTo("101010101010101010101010314ce2e7");
    }

    @Test
    void detectRoundTripKeepsOrderAndLargeSns() {
        List<Cc2Coin> coins = List.of(new Cc2Coin(0, an(1)), new Cc2Coin(Cc2Coin.MAX_SN, an(2)),
                new Cc2Coin(0x80_8080, an(3)), new Cc2Coin(258, an(4)));
        byte[] f = Cc2Frames.detectRequest(3, coins);
        assertThat(f).hasSize(40 + 19 * 4);
        Cc2Frames.Request r = decode(f);
        assertThat(r.raidaId()).isEqualTo(3);
        assertThat(r.command()).isEqualTo(Cc2Frames.CMD_DETECT);
        assertThat(r.checksum()).isZero();
        assertThat(r.coinId()).isEqualTo(1);
        assertThat(r.echo()).isEqualTo(0x1111);
        assertThat(Cc2Frames.decodeDetectPayload(r.payload())).containsExactlyElementsOf(coins);
    }

    @Test
    void hashDeleteRoundTrip() {
        long[] sns = {7, 0xFF_FFFF, 0x12_3456};
        byte[] f = Cc2Frames.hashDeleteRequest(24, sns, an(9));
        assertThat(f).hasSize(40 + 3 * 3 + 33);
        Cc2Frames.Request r = decode(f);
        assertThat(r.command()).isEqualTo(Cc2Frames.CMD_HASH_DELETE);
        Cc2Frames.HashDelete d = Cc2Frames.decodeHashDeletePayload(r.payload());
        assertThat(d.sns()).containsExactly(sns);
        assertThat(d.an()).isEqualTo(an(9));
        assertThat(d.pg()).isEqualTo(new byte[16]);
    }

    @Test
    void largestDetectAndDeleteFitTheSixteenBitLength() {
        List<Cc2Coin> max = Collections.nCopies(Cc2Frames.MAX_DETECT_COINS, new Cc2Coin(1, an(1)));
        assertThat(Cc2Frames.MAX_DETECT_COINS).isEqualTo(3448);
        byte[] f = Cc2Frames.detectRequest(0, max);
        assertThat(Bytes.u16(f, 14)).isEqualTo(18 + 19 * 3448).isLessThanOrEqualTo(0xFFFF);

        assertThat(Cc2Frames.MAX_DELETE_COINS).isEqualTo(21828);
        byte[] d = Cc2Frames.hashDeleteRequest(0, new long[Cc2Frames.MAX_DELETE_COINS], an(1));
        assertThat(Bytes.u16(d, 14)).isEqualTo(18 + 33 + 3 * 21828).isLessThanOrEqualTo(0xFFFF);
    }

    @Test
    void requestsThatCannotBeExpressedAreRefusedWithTypedErrors() {
        assertThatThrownBy(() -> new Cc2Coin(1L << 24, an(1))).isInstanceOf(Cc2RequestException.class)
                .hasMessageContaining("16777216").hasMessageContaining("24 bits")
                .extracting(e -> ((Cc2RequestException) e).raidaStatus())
                .isEqualTo(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION.code());
        assertThatThrownBy(() -> new Cc2Coin(-1, an(1))).isInstanceOf(Cc2RequestException.class);
        assertThatThrownBy(() -> new Cc2Coin(5, new byte[15])).isInstanceOf(Cc2RequestException.class)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes, got 15");
        assertThatThrownBy(() -> new Cc2Coin(5, null)).isInstanceOf(Cc2RequestException.class);

        assertThatThrownBy(() -> Cc2Frames.detectRequest(1, List.of())).isInstanceOf(Cc2RequestException.class)
                .hasMessageContaining("at least one coin")
                .extracting(e -> ((Cc2RequestException) e).raidaStatus()).isEqualTo(StatusCode.ERROR_EMPTY_REQUEST.code());
        List<Cc2Coin> tooMany = Collections.nCopies(Cc2Frames.MAX_DETECT_COINS + 1, new Cc2Coin(1, an(1)));
        assertThatThrownBy(() -> Cc2Frames.detectRequest(1, tooMany)).isInstanceOf(Cc2RequestException.class)
                .hasMessageContaining("3449 coins").hasMessageContaining("at most 3448")
                .extracting(e -> ((Cc2RequestException) e).raidaStatus()).isEqualTo(StatusCode.ERROR_TOO_MANY_COINS.code());
        List<Cc2Coin> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> Cc2Frames.detectRequest(1, withNull)).isInstanceOf(Cc2RequestException.class);

        assertThatThrownBy(() -> Cc2Frames.hashDeleteRequest(1, new long[0], an(1)))
                .isInstanceOf(Cc2RequestException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Cc2Frames.hashDeleteRequest(1, new long[Cc2Frames.MAX_DELETE_COINS + 1], an(1)))
                .isInstanceOf(Cc2RequestException.class).hasMessageContaining("at most 21828");
        assertThatThrownBy(() -> Cc2Frames.hashDeleteRequest(1, new long[] {5, 1L << 24}, an(1)))
                .isInstanceOf(Cc2RequestException.class).hasMessageContaining("16777216");
        assertThatThrownBy(() -> Cc2Frames.hashDeleteRequest(1, new long[] {5}, new byte[17]))
                .isInstanceOf(Cc2RequestException.class).hasMessageContaining("got 17");
    }

    @Test
    void malformedRequestsAreRecognisedByTheDecoder() {
        byte[] f = Cc2Frames.detectRequest(1, List.of(new Cc2Coin(1, an(1))));
        byte[] badCrc = f.clone();
        badCrc[22 + 12] ^= 1;
        assertMalformed(badCrc, StatusCode.ERROR_INVALID_CRC);
        byte[] badEnd = f.clone();
        badEnd[f.length - 1] = 0;
        assertMalformed(badEnd, StatusCode.ERROR_INVALID_EOF);
        byte[] header = java.util.Arrays.copyOf(f, 22);
        assertThatThrownBy(() -> Cc2Frames.decodeRequest(header, new byte[3]))
                .isInstanceOf(Cc2Frames.MalformedRequest.class);
        assertThatThrownBy(() -> Cc2Frames.decodeDetectPayload(new byte[20]))
                .isInstanceOf(Cc2Frames.MalformedRequest.class);
        assertThatThrownBy(() -> Cc2Frames.decodeHashDeletePayload(new byte[35]))
                .isInstanceOf(Cc2Frames.MalformedRequest.class);
    }

    private static void assertMalformed(byte[] f, StatusCode status) {
        assertThatThrownBy(() -> decode(f)).isInstanceOfSatisfying(Cc2Frames.MalformedRequest.class,
                e -> assertThat(e.status).isEqualTo(status.code()));
    }

    @Test
    void replyHeaderRoundTripReadsTheLengthAsUnsigned24Bits() {
        // D-7: bytes >= 0x80 must not sign-extend; every byte counts
        byte[] r = Cc2Frames.reply(14, 243, 0x1111, new byte[0x8A - 12]);
        assertThat(Bytes.hex(r, 0, 12)).isEqualTo("0e00f30000011111" + "00" + "00008a");
        Cc2Frames.ReplyHeader h = Cc2Frames.ReplyHeader.decode(r, 0);
        assertThat(h).isEqualTo(new Cc2Frames.ReplyHeader(14, 0, 243, 0, 1, 0x1111, 0x8A));
        assertThat(h.bitmapLength()).isEqualTo(0x8A - 12);

        byte[] big = Bytes.fromHex("0e00f30000011111 00 ff8081");
        assertThat(Cc2Frames.ReplyHeader.decode(big, 0).length()).isEqualTo(0xFF8081);
        new Cc2Frames.ReplyHeader(1, 2, 3, 4, 0xABCD, 0x1111, 0x80_00FF).encode(big, 0);
        assertThat(Cc2Frames.ReplyHeader.decode(big, 0))
                .isEqualTo(new Cc2Frames.ReplyHeader(1, 2, 3, 4, 0xABCD, 0x1111, 0x80_00FF));
    }

    @Test
    void detectResultBitmapIsLsbFirstAndMasksUnusedBits() {
        Cc2DetectResult r = Cc2DetectResult.fromBitmap(9, new byte[] {(byte) 0b1000_0101, (byte) 0xFF});
        assertThat(r.passed(0)).isTrue();
        assertThat(r.passed(1)).isFalse();
        assertThat(r.passed(2)).isTrue();
        assertThat(r.passed(7)).isTrue();
        assertThat(r.passed(8)).isTrue();
        assertThat(r.bitmap()).containsExactly((byte) 0x85, (byte) 0x01);
        assertThat(r.passCount()).isEqualTo(4);
        assertThat(r.raidaStatus()).isEqualTo(StatusCode.STATUS_MIXED);
        assertThat(Cc2DetectResult.fromBitmap(3, new byte[] {(byte) 0xFF}).raidaStatus())
                .isEqualTo(StatusCode.STATUS_ALL_PASS);
        assertThat(Cc2DetectResult.allFail(3).raidaStatus()).isEqualTo(StatusCode.STATUS_ALL_FAIL);
        assertThat(Cc2DetectResult.allPass(9).bitmap()).containsExactly((byte) 0xFF, (byte) 0x01);
        assertThatThrownBy(() -> Cc2DetectResult.fromBitmap(9, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coinToStringHidesTheAn() {
        assertThat(new Cc2Coin(258, AN_00_0F).toString()).isEqualTo("Cc2Coin[sn=258]");
    }

    private static Cc2Frames.Request decode(byte[] f) {
        byte[] header = java.util.Arrays.copyOf(f, 22);
        return Cc2Frames.decodeRequest(header, java.util.Arrays.copyOfRange(f, 22, f.length));
    }

    /** A deterministic AN per seed (distinct seeds give distinct ANs). */
    static byte[] an(int seed) {
        byte[] a = new byte[16];
        new java.util.SplittableRandom(seed).nextBytes(a);
        return a;
    }

    /** An AN that differs from {@code an(seed)}. */
    static byte[] wrongAn(int seed) {
        byte[] a = an(seed);
        a[15] ^= 0x5A;
        return a;
    }
}
