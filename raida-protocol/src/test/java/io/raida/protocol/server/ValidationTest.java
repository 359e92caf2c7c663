package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Request validation of wire-format §2–§6 in the reference order (first failure wins), the reply
 * shapes of §9.3, the D-11/D-32 fixes, the body limit and the UDP size rules.
 */
class ValidationTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final byte[] AN1 = V.coin(0, 1).an();
    private static final byte[] AN2 = V.coin(0, 2).an();
    private final ServerCore core = ReferenceServer.create(V);

    private byte[] tcp(byte[] frame) {
        byte[] r = core.answer(frame, Transport.TCP);
        assertThat(r).as("a reply to %s", Bytes.hex(frame)).isNotNull();
        return r;
    }

    private int status(byte[] frame) {
        int t = tcp(frame)[2] & 0xFF;
        byte[] u = core.answer(frame, Transport.UDP);
        assertThat(u[2] & 0xFF).as("UDP agrees with TCP").isEqualTo(t);
        return t;
    }

    private static byte[] echo0() {
        return RequestBuilder.command(0, 0, 0).echo(0xABCD).build().frame();
    }

    private static byte[] with(byte[] f, int... offsetValuePairs) {
        byte[] g = f.clone();
        for (int i = 0; i < offsetValuePairs.length; i += 2) {
            g[offsetValuePairs[i]] = (byte) offsetValuePairs[i + 1];
        }
        return g;
    }

    @Test
    void commonHeaderChecksInReferenceOrder() {
        byte[] ok = echo0();
        assertThat(status(ok)).isEqualTo(250);
        // each check alone
        assertThat(status(with(ok, 0, 0))).isEqualTo(255);
        assertThat(status(with(ok, 0, 2))).isEqualTo(255);
        assertThat(status(with(ok, 1, 1))).isEqualTo(2);
        assertThat(status(with(ok, 2, 5))).isEqualTo(3);
        assertThat(status(with(ok, 4, 16))).isEqualTo(5);
        assertThat(status(with(ok, 4, 255))).isEqualTo(5);
        assertThat(status(with(ok, 3, 4))).isEqualTo(4);
        assertThat(status(with(ok, 5, 9))).isEqualTo(6);
        assertThat(status(with(ok, 7, 7))).isEqualTo(7);
        assertThat(status(with(ok, 6, 1))).as("coin id is 16 bits").isEqualTo(7);
        for (int shard = 0; shard <= 3; shard++) {
            assertThat(status(with(ok, 3, shard))).isEqualTo(250);
        }
        // order: 255 > 2 > 3 > 5 > 4 > 6 > 7 > type checks
        assertThat(status(with(ok, 0, 0, 1, 1, 2, 5, 4, 16, 3, 4, 7, 7))).isEqualTo(255);
        assertThat(status(with(ok, 1, 1, 2, 5, 4, 16, 3, 4, 7, 7))).isEqualTo(2);
        assertThat(status(with(ok, 2, 5, 4, 16, 3, 4, 7, 7))).isEqualTo(3);
        assertThat(status(with(ok, 4, 16, 3, 4, 7, 7))).as("group before shard").isEqualTo(5);
        assertThat(status(with(ok, 3, 4, 5, 9, 7, 7))).as("shard before command").isEqualTo(4);
        assertThat(status(with(ok, 5, 9, 7, 7))).as("command before coin id").isEqualTo(6);
        byte[] type3 = Arrays.copyOf(ok, 48 + 18);
        type3[16] = 3;
        assertThat(status(with(type3, 7, 7))).as("coin id before encryption type").isEqualTo(7);
        // the ignored bytes 8..15 really are ignored
        assertThat(status(with(ok, 8, 0xFF, 9, 0xFF, 10, 0xFF, 11, 0xFF, 12, 0xFF, 13, 0xFF, 14, 0xFF, 15, 0xFF)))
                .isEqualTo(250);
    }

    @Test
    void earlyHeaderErrorsAre32ByteRepliesWithoutEchoOrGroup() {
        byte[] t4 = RequestBuilder.command(0, 1, 10).echo(0x4647).authenticateWithCoin(0, 1, AN1).build().frame();
        core.registry().register(1, 10, req -> CommandResult.success());
        byte[] r = tcp(with(t4, 3, 9));
        assertThat(r).hasSize(32);
        assertThat(r[2]).isEqualTo((byte) 4);
        assertThat(r[3]).as("group not yet recorded").isZero();
        assertThat(Bytes.u16(r, 4)).isEqualTo(1);
        assertThat(Bytes.u16(r, 6)).as("echo not yet recorded").isZero();
        assertThat(Arrays.copyOfRange(r, 16, 32)).isEqualTo(new byte[16]);
        byte[] coin = tcp(with(t4, 7, 7));
        assertThat(coin).hasSize(32);
        assertThat(coin[2]).isEqualTo((byte) 7);
        assertThat(coin[3]).as("7 comes after the handler check: group recorded").isEqualTo((byte) 1);
        assertThat(Bytes.u16(coin, 6)).isZero();
        // from here on the request's format: type 4 -> 48-byte reply with coin and echo
        byte[] hmac = tcp(with(t4, t4.length - 3, t4[t4.length - 3] ^ 1));
        assertThat(hmac).hasSize(48);
        assertThat(hmac[2] & 0xFF).isEqualTo(204);
        assertThat(hmac[3]).isEqualTo((byte) 1);
        assertThat(hmac[16]).isEqualTo((byte) 4);
        assertThat(Bytes.u32(hmac, 18)).isEqualTo(1);
        assertThat(Bytes.u16(hmac, 46)).isEqualTo(0x4647);
        assertThat(Bytes.u24(hmac, 9)).isZero();
    }

    @Test
    void unknownEncryptionTypesAre27With48ByteReply() {
        for (int type : new int[] {3, 6, 7, 100, 255}) {
            byte[] f = new byte[48 + 34];
            f[0] = 1;
            f[7] = 6;
            f[16] = (byte) type;
            Bytes.putU16(f, 17, 34);
            Bytes.putTerminator(f, f.length - 2);
            byte[] r = tcp(f);
            assertThat(r).as("type %d", type).hasSize(48);
            assertThat(r[2] & 0xFF).isEqualTo(27);
            assertThat(r[16] & 0xFF).isEqualTo(type);
            assertThat(Bytes.u24(r, 9)).isZero();
            // a 32-byte prefix of such a request is not yet a header (§5)
            RequestDecoder d = core.newDecoder();
            d.reset(Transport.TCP, null, System.nanoTime());
            d.feed(f, 0, 32);
            assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_READ_HEADER);
            assertThat(d.bytesWanted()).isEqualTo(16);
        }
    }

    @Test
    void unknownKeysAre34ForLegacyAnd25ForModernTypes() {
        assertThat(status(RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 9, AN1).build().frame())).isEqualTo(34);
        assertThat(status(RequestBuilder.command(0, 0, 0).encryptWithLocker(
                Bytes.fromHex("0102030405060708090a0b0cffffffff")).build().frame())).isEqualTo(34);
        assertThat(status(RequestBuilder.command(0, 0, 0).authenticateWithCoin(0, 9, AN1).build().frame()))
                .isEqualTo(25);
        assertThat(status(RequestBuilder.command(0, 0, 0).authenticateWithCoins(0, 9, AN1, 0, 2, AN2).build().frame()))
                .as("type 5, coin 1 unknown").isEqualTo(25);
        assertThat(status(RequestBuilder.command(0, 0, 0).authenticateWithCoins(0, 1, AN1, 0, 9, AN2).build().frame()))
                .as("type 5, coin 2 unknown").isEqualTo(25);
        assertThat(status(RequestBuilder.command(0, 0, 0).authenticateWithCoins(0, 1, AN1, 0, 2, AN2).build().frame()))
                .isEqualTo(250);
    }

    @Test
    void denominationAndSerialAreRangeCheckedBeforeTheResolverD32() {
        AtomicInteger calls = new AtomicInteger();
        CoinKeyResolver any = new CoinKeyResolver() {
            @Override
            public byte[] coinAn(int denomination, long serialNumber) {
                calls.incrementAndGet();
                return AN1;
            }

            @Override
            public byte[] lockerAn(byte[] prefix, int off) {
                return null;
            }
        };
        ServerCore c = ReferenceServer.builder(V).keyResolver(any).build();
        int[][] bad = {{7, 1}, {-9, 1}, {0x7F, 1}};
        for (int[] b : bad) {
            assertThat(c.answer(RequestBuilder.command(0, 0, 0).encryptWithCoin(b[0], b[1], AN1).build().frame(),
                    Transport.TCP)[2] & 0xFF).as("type 1 den %d", b[0]).isEqualTo(34);
            assertThat(c.answer(RequestBuilder.command(0, 0, 0).authenticateWithCoin(b[0], b[1], AN1).build().frame(),
                    Transport.TCP)[2] & 0xFF).as("type 4 den %d", b[0]).isEqualTo(25);
        }
        for (long sn : new long[] {1_024_000L, 0x04000001L, 0xFFFFFFFFL}) {
            assertThat(c.answer(RequestBuilder.command(0, 0, 0).encryptWithCoin(0, sn, AN1).build().frame(),
                    Transport.TCP)[2] & 0xFF).as("D-32: SN %d must not alias", sn).isEqualTo(34);
            assertThat(c.answer(RequestBuilder.command(0, 0, 0).authenticateWithCoins(0, 1, AN1, 0, sn, AN1).build()
                    .frame(), Transport.TCP)[2] & 0xFF).isEqualTo(25);
        }
        assertThat(calls.get()).as("only the valid coin 1 of the type-5 requests reached the resolver").isEqualTo(3);
        assertThat(c.answer(RequestBuilder.command(0, 0, 0).encryptWithCoin(6, 1_023_999, AN1).build().frame(),
                Transport.TCP)[2] & 0xFF).isEqualTo(250);
    }

    @Test
    void emptyBodyIsRejectedForEncryptedTypesD11() {
        byte[] t1 = RequestBuilder.command(0, 0, 1).encryptWithCoin(0, 1, AN1).build().frame();
        byte[] t1Empty = Arrays.copyOf(t1, 32);
        Bytes.putU16(t1Empty, 22, 0);
        byte[] t4 = RequestBuilder.command(0, 0, 1).authenticateWithCoin(0, 1, AN1).build().frame();
        byte[] t4Empty = Arrays.copyOf(t4, 48);
        Bytes.putU16(t4Empty, 17, 0);
        byte[] t5 = RequestBuilder.command(0, 0, 1).authenticateWithCoins(0, 1, AN1, 0, 2, AN2).build().frame();
        byte[] t5Empty = Arrays.copyOf(t5, 48);
        Bytes.putU16(t5Empty, 17, 0);
        byte[] locker = Bytes.fromHex("a1a2a3a4a5a6a7a8a9aaabacffffffff");
        ServerCore withLocker = ReferenceServer.builder(V)
                .keyResolver(ReferenceServer.resolver(V).putLocker(locker)).build();
        byte[] t2 = RequestBuilder.command(0, 0, 1).encryptWithLocker(locker).build().frame();
        byte[] t2Empty = Arrays.copyOf(t2, 32);
        Bytes.putU16(t2Empty, 22, 0);
        for (byte[] f : new byte[][] {t1Empty, t2Empty, t4Empty, t5Empty}) {
            byte[] r = withLocker.answer(f, Transport.TCP);
            assertThat(r[2] & 0xFF).as("D-11: type %d with body size 0", f[16]).isEqualTo(16);
            assertThat(r).hasSize(f.length);
        }
        // type 0 echo/version with an empty body stay accepted (compatibility)
        byte[] e = RequestBuilder.command(0, 0, 0).emptyBody().build().frame();
        assertThat(status(e)).isEqualTo(250);
        assertThat(tcp(e)).hasSize(32);
        byte[] v = tcp(RequestBuilder.command(0, 0, 1).emptyBody().build().frame());
        assertThat(new String(Arrays.copyOfRange(v, 32, 40), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("20250323");
        assertThat(Arrays.copyOfRange(v, 16, 32)).as("no challenge, zero signature").isEqualTo(new byte[16]);
        // the reference's behaviour remains available
        ServerCore lax = ReferenceServer.builder(V).requireEncryptedBody(false).build();
        assertThat(lax.answer(t1Empty, Transport.TCP)[2] & 0xFF).isEqualTo(250);
        assertThat(lax.answer(t4Empty, Transport.TCP)[2] & 0xFF).isEqualTo(250);
    }

    @Test
    void bodyChecksInReferenceOrder() {
        byte[] ok = echo0();
        // body size 1 -> 16 before the terminator is looked at
        byte[] one = Arrays.copyOf(ok, 33);
        Bytes.putU16(one, 22, 1);
        one[32] = 0;
        assertThat(status(one)).isEqualTo(16);
        // body = just 3E 3E -> 16
        byte[] two = Arrays.copyOf(ok, 34);
        Bytes.putU16(two, 22, 2);
        Bytes.putTerminator(two, 32);
        assertThat(status(two)).isEqualTo(16);
        // 17 bytes with a wrong terminator -> 33 (terminator before the 18-byte minimum)
        byte[] seventeen = Arrays.copyOf(ok, 49);
        Bytes.putU16(seventeen, 22, 17);
        assertThat(status(seventeen)).isEqualTo(33);
        Bytes.putTerminator(seventeen, 47);
        assertThat(status(seventeen)).isEqualTo(16);
        // terminator checked on the raw bytes
        assertThat(status(with(ok, ok.length - 1, 0x3F))).isEqualTo(33);
        assertThat(status(with(ok, ok.length - 2, 0x3F))).isEqualTo(33);
        // CRC -> 37, signature carries the challenge as received
        byte[] crc = with(ok, 44, ok[44] ^ 0x01);
        byte[] r = tcp(crc);
        assertThat(r[2] & 0xFF).isEqualTo(37);
        assertThat(Arrays.copyOfRange(r, 16, 32)).isEqualTo(Arrays.copyOfRange(crc, 32, 48));
        // 33 before CRC
        assertThat(status(with(crc, crc.length - 1, 0))).isEqualTo(33);
        // type 1 with the wrong key -> 37, signature = decrypted challenge XOR AN
        ClientRequest wrong = RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN2).build();
        byte[] wr = tcp(wrong.frame());
        assertThat(wr[2] & 0xFF).isEqualTo(37);
        byte[] plain = Arrays.copyOfRange(wrong.frame(), 32, 48);
        Crypto.get().legacyCtr(AN1, wrong.frame(), 24, 0, plain, 0, 16);
        for (int i = 0; i < 16; i++) {
            plain[i] ^= AN1[i];
        }
        assertThat(Arrays.copyOfRange(wr, 16, 32)).isEqualTo(plain);
        // type 1 short body: decrypted first, then 16
        byte[] t1 = RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN1).build().frame();
        byte[] t1Short = Arrays.copyOf(t1, 32 + 10);
        Bytes.putU16(t1Short, 22, 10);
        Bytes.putTerminator(t1Short, 40);
        assertThat(status(t1Short)).isEqualTo(16);
        // type 4: short body -> 16, bad HMAC -> 204, bad terminator -> 33
        byte[] t4 = RequestBuilder.command(0, 0, 0).payload(new byte[20]).authenticateWithCoin(0, 1, AN1).build().frame();
        byte[] t4Short = Arrays.copyOf(t4, 48 + 33);
        Bytes.putU16(t4Short, 17, 33);
        Bytes.putTerminator(t4Short, t4Short.length - 2);
        assertThat(status(t4Short)).isEqualTo(16);
        assertThat(status(with(t4, 50, t4[50] ^ 0x80))).as("ciphertext flipped").isEqualTo(204);
        assertThat(status(with(t4, 80, t4[80] ^ 0x01))).as("HMAC flipped").isEqualTo(204);
        assertThat(status(with(t4, t4.length - 1, 0))).isEqualTo(33);
        byte[] t5 = RequestBuilder.command(0, 0, 0).authenticateWithCoins(0, 1, AN1, 0, 2, AN2).build().frame();
        assertThat(status(with(t5, 48, t5[48] ^ 0x01))).isEqualTo(204);
        assertThat(status(t4)).isEqualTo(250);
    }

    @Test
    void maxBodySizeIsEnforcedBeforeAllocation() {
        ServerCore small = ReferenceServer.builder(V).maxBodySize(100).build();
        byte[] fits = RequestBuilder.command(0, 0, 0).payload(new byte[82]).build().frame();
        assertThat(Bytes.u16(fits, 22)).isEqualTo(100);
        assertThat(small.answer(fits, Transport.TCP)[2] & 0xFF).isEqualTo(250);
        byte[] over = RequestBuilder.command(0, 0, 0).payload(new byte[83]).build().frame();
        RequestDecoder d = small.newDecoder();
        d.reset(Transport.TCP, null, System.nanoTime());
        int consumed = d.feed(over, 0, over.length);
        assertThat(consumed).as("answered after the header, body never read").isEqualTo(32);
        assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_WRITE);
        assertThat(d.status()).isEqualTo(16);
        assertThat(d.bodyCapacity()).as("nothing allocated for the refused body").isZero();
        // a header alone declaring 65535 bytes allocates nothing either
        byte[] huge = Arrays.copyOf(over, 32);
        Bytes.putU16(huge, 22, 0xFFFF);
        d.reset(Transport.TCP, null, System.nanoTime());
        d.feed(huge, 0, 32);
        assertThat(d.status()).isEqualTo(16);
        assertThat(d.bodyCapacity()).isZero();
        // UDP too
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(over), false)).isEqualTo(RequestDecoder.DatagramVerdict.RESPOND);
        assertThat(d.status()).isEqualTo(16);
        assertThat(d.bodyCapacity()).isZero();
        // the default limit is the 16-bit field's maximum
        byte[] max = RequestBuilder.command(0, 0, 0).payload(new byte[0xFFFF - 18]).build().frame();
        assertThat(core.answer(max, Transport.TCP)[2] & 0xFF).isEqualTo(250);
        // a retained small buffer is reused; a big one is released on reset
        RequestDecoder big = core.newDecoder();
        big.reset(Transport.TCP, null, System.nanoTime());
        big.feed(max, 0, max.length);
        assertThat(big.bodyCapacity()).isEqualTo(0xFFFF);
        big.reset(Transport.TCP, null, System.nanoTime());
        assertThat(big.bodyCapacity()).isZero();
    }

    @Test
    void udpSizeRules() {
        RequestDecoder d = core.newDecoder();
        byte[] ok = echo0();
        long drops = core.stats().drops();
        for (int len : new int[] {0, 1, 16}) {
            d.reset(Transport.UDP, null, System.nanoTime());
            assertThat(d.decodeDatagram(ByteBuffer.wrap(ok, 0, len), false)).isEqualTo(RequestDecoder.DatagramVerdict.DROP);
        }
        for (int len : new int[] {17, 31}) {
            d.reset(Transport.UDP, null, System.nanoTime());
            assertThat(d.decodeDatagram(ByteBuffer.wrap(ok, 0, len), false)).as("%d bytes", len)
                    .isEqualTo(RequestDecoder.DatagramVerdict.DROP);
        }
        byte[] t4 = RequestBuilder.command(0, 0, 0).authenticateWithCoin(0, 1, AN1).build().frame();
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(t4, 0, 47), false)).isEqualTo(RequestDecoder.DatagramVerdict.DROP);
        assertThat(core.stats().drops() - drops).isEqualTo(6);
        assertThat(core.stats().requests()).isZero();
        // body longer than the datagram -> 16
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(ok, 0, ok.length - 1), false))
                .isEqualTo(RequestDecoder.DatagramVerdict.RESPOND);
        assertThat(d.status()).isEqualTo(16);
        assertThat(Bytes.u16(d.responseArray(), 6)).isEqualTo(0xABCD);
        // truncated by the receive buffer (D-22) -> 16 even if the cut happens to be consistent
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(ok), true)).isEqualTo(RequestDecoder.DatagramVerdict.RESPOND);
        assertThat(d.status()).isEqualTo(16);
        // a header error still wins over truncation
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(with(ok, 0, 0)), true)).isEqualTo(RequestDecoder.DatagramVerdict.RESPOND);
        assertThat(d.status()).isEqualTo(255);
        // extra bytes after header + body_size are ignored; the datagram is not consumed
        byte[] longer = Arrays.copyOf(ok, ok.length + 10);
        ByteBuffer bb = ByteBuffer.wrap(longer);
        bb.position(0);
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(bb, false)).isEqualTo(RequestDecoder.DatagramVerdict.PROCESS);
        assertThat(bb.position()).isZero();
        assertThat(d.isNonBlocking()).as("echo is a non-blocking built-in").isTrue();
        d.process();
        assertThat(d.status()).isEqualTo(250);
        // a datagram at a non-zero buffer position
        byte[] shifted = new byte[ok.length + 5];
        System.arraycopy(ok, 0, shifted, 5, ok.length);
        ByteBuffer sb = ByteBuffer.wrap(shifted);
        sb.position(5);
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(sb, false)).isEqualTo(RequestDecoder.DatagramVerdict.PROCESS);
        d.process();
        assertThat(Arrays.copyOfRange(d.responseArray(), 16, 32)).isEqualTo(Arrays.copyOfRange(ok, 32, 48));
    }

    @Test
    void udpContextIsZeroedBetweenDatagramsD10() {
        RequestDecoder d = core.newDecoder();
        byte[] primer = RequestBuilder.command(0, 0, 0).echo(0x1122).build().frame();
        d.reset(Transport.UDP, null, System.nanoTime());
        assertThat(d.decodeDatagram(ByteBuffer.wrap(primer), false)).isEqualTo(RequestDecoder.DatagramVerdict.PROCESS);
        d.process();
        d.complete();
        d.reset(Transport.UDP, null, System.nanoTime());
        byte[] bad = with(echo0(), 0, 0);
        d.decodeDatagram(ByteBuffer.wrap(bad), false);
        byte[] r = d.responseCopy();
        assertThat(r[2] & 0xFF).isEqualTo(255);
        byte[] viaTcp = tcp(bad);
        assertThat(Arrays.copyOfRange(r, 3, 12)).as("nothing of the primer leaks")
                .isEqualTo(Arrays.copyOfRange(viaTcp, 3, 12));
        assertThat(Bytes.u16(r, 6)).isZero();
        assertThat(Arrays.copyOfRange(r, 16, 32)).isEqualTo(new byte[16]);
    }

    @Test
    void executionTimeIsMicrosecondsSinceStart() {
        RequestDecoder d = core.newDecoder();
        d.reset(Transport.TCP, null, System.nanoTime() - 5_000_000L);
        byte[] ok = echo0();
        d.feed(ok, 0, ok.length);
        d.process();
        long micros = Bytes.u32(d.responseArray(), 12);
        assertThat(micros).isBetween(5_000L, 60_000_000L);
        byte[] t4 = RequestBuilder.command(0, 0, 0).authenticateWithCoin(0, 1, AN1).build().frame();
        d.reset(Transport.TCP, null, System.nanoTime() - 7_000_000L);
        d.feed(t4, 0, t4.length);
        d.process();
        assertThat(Bytes.u32(d.responseArray(), 4)).as("48-byte reply: time at 4..7").isBetween(7_000L, 60_000_000L);
        assertThat(Bytes.u32(d.responseArray(), 12)).as("48-byte reply: 12..15 reserved").isZero();
    }
}
