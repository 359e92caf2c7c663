package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.testing.ReferenceVectors;
import io.raida.protocol.testing.ReferenceVectors.Range;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked examples E1, E2 and E3 of wire-format §13, byte for byte, client and server side. */
class WorkedExamplesTest {
    private static final byte[] SEED = Bytes.fromHex("000102030405060708090a0b");
    private static final byte[] AN = Bytes.fromHex("808182838485868788898a8b8c8d8e8f");
    private static final byte[] AN2 = Bytes.fromHex("101112131415161718191a1b1c1d1e1f");

    private static ServerCore server() {
        return ServerCore.builder().raidaId(14).versionString("20250323")
                .keyResolver(new InMemoryCoinKeyResolver().putCoin(0, 1, AN)).build();
    }

    private static byte[] hex(String s) {
        return Bytes.fromHex(s.replace("\n", "").replace(" ", ""));
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void e1Type0Echo() {
        byte[] frame = hex("01 00 0E 00 00 00 00 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 12 00 00 00 00 00 00 AB CD"
                + "00 01 02 03 04 05 06 07 08 09 0A 0B 92 70 C9 65 3E 3E");
        ClientRequest req = RequestBuilder.command(14, 0, 0).challengeSeed(SEED).echo(0xABCD).build();
        assertThat(req.frame()).isEqualTo(frame);
        byte[] reply = server().answer(frame, Transport.TCP);
        byte[] expected = hex("0E 00 FA 00 00 01 AB CD 00 00 00 00 00 00 00 00"
                + "00 01 02 03 04 05 06 07 08 09 0A 0B 92 70 C9 65");
        assertThat(ReferenceVectors.maskedDiff(expected, reply, List.of(new Range(12, 16)))).isEmpty();
        RaidaResponse r = ResponseParser.parse(req, reply);
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.payload()).isEmpty();
    }

    @Test
    void e2Type1VersionBothKeystreamModes() {
        byte[] frame = hex("01 00 0E 00 00 01 00 06 00 00 00 00 00 00 00 00 01 00 00 00 00 01 00 12 A0 A1 A2 A3 A4 A5 AB CD"
                + "CB BE A3 BD 1F 3C 48 D5 A8 49 42 CB A6 F5 FA 2E 3E 3E");
        byte[] nonce = hex("A0 A1 A2 A3 A4 A5 AB CD");
        ClientRequest cont = RequestBuilder.command(14, 0, 1).challengeSeed(SEED).nonce(nonce)
                .encryptWithCoin(0, 1, AN).build();
        ClientRequest restart = RequestBuilder.command(14, 0, 1).challengeSeed(SEED).nonce(nonce)
                .encryptWithCoin(0, 1, AN).keystream(KeystreamMode.RESTART).build();
        assertThat(cont.frame()).isEqualTo(frame);
        assertThat(restart.frame()).isEqualTo(frame);

        // our server continues the counter (AES-NI reference behaviour, D-1)
        byte[] reply = server().answer(frame, Transport.TCP);
        assertThat(reply).hasSize(42);
        assertThat(Bytes.hex(reply, 0, 12)).isEqualTo("0e00fa000001abcd0000000a");
        assertThat(Bytes.hex(reply, 16, 16)).isEqualTo("808080808080808080808080" + "1efd47ea");
        assertThat(Bytes.hex(reply, 32, 10)).isEqualTo("c1086246ef09643d3e3e");
        assertThat(ascii(ResponseParser.parse(cont, reply).payload())).isEqualTo("20250323");
        assertThat(ResponseParser.calibrate(cont, reply)).isEqualTo(KeystreamMode.CONTINUE);

        // a software-path reference server restarts the keystream
        byte[] software = reply.clone();
        System.arraycopy(hex("F9 8F 93 8B 2B 0A 7C E1"), 0, software, 32, 8);
        assertThat(ascii(ResponseParser.parse(restart, software).payload())).isEqualTo("20250323");
        assertThat(ResponseParser.calibrate(cont, software)).isEqualTo(KeystreamMode.RESTART);
        assertThat(ascii(ResponseParser.parse(cont, software).payload())).isNotEqualTo("20250323");
    }

    @Test
    void e3Type4RequestEmptyBodyReplyAndType5Key() {
        byte[] header = hex("01 00 0E 00 00 01 00 06 00 00 00 00 00 00 00 00"
                + "04 00 27 00 00 00 00 01 30 31 32 33 34 35 36 37"
                + "38 39 3A 3B 3C 3D 3E 3F 40 41 42 43 44 45 46 47");
        byte[] body = hex("52 90 14 54 D5"
                + "7E D3 E7 DA 4A C2 CE B5 58 F4 DD A4 71 2D A0 24 4C 84 9B BC B4 0A 27 43 3C 81 B9 95 77 92 5A E0"
                + "3E 3E");
        byte[] nonce = Arrays.copyOfRange(header, 24, 48);
        byte[] key = Crypto.get().sha256(AN, null);
        assertThat(Bytes.hex(key)).isEqualTo("7636d4e4e42e23f137fe7e86b16f48b726002180" + "66f8e19be62b8edd85dff662");

        byte[] payload = new byte[5];
        Arrays.fill(payload, (byte) 0x11);
        ClientRequest req = RequestBuilder.command(14, 0, 1).nonce(nonce).payload(payload)
                .authenticateWithCoin(0, 1, AN).build();
        byte[] frame = req.frame();
        assertThat(Arrays.copyOfRange(frame, 0, 48)).isEqualTo(header);
        assertThat(Arrays.copyOfRange(frame, 48, frame.length)).isEqualTo(body);
        assertThat(req.echo()).isEqualTo(0x4647);

        // empty-payload type-4 body: HMAC(K, "") || 3E 3E
        ClientRequest empty = RequestBuilder.command(14, 0, 0).nonce(nonce).authenticateWithCoin(0, 1, AN).build();
        assertThat(Bytes.hex(empty.frame(), 48, 34)).isEqualTo(
                "e73a2242283af7151347074441688 4ca247755a8cc084c64ef34cb3cefd590613e3e".replace(" ", ""));
        assertThat(Bytes.u16(empty.frame(), 17)).isEqualTo(34);

        // the type-4 version reply with R = 50..67 and 500 µs, built from the primitives
        byte[] r = new byte[24];
        for (int i = 0; i < 24; i++) {
            r[i] = (byte) (0x50 + i);
        }
        byte[] expected = hex("0E 00 FA 00 00 00 01 F4 00 00 00 2A 00 00 00 00"
                + "04 00 00 00 00 01 00 00 50 51 52 53 54 55 56 57"
                + "58 59 5A 5B 5C 5D 5E 5F 60 61 62 63 64 65 46 47"
                + "F6 FB 77 64 4C 8E 68 5F"
                + "D7 47 B6 A5 70 1C 01 A9 74 A6 DD BF 2A 5E C4 E5 72 B1 F8 30 A1 D1 37 5F 51 93 86 63 10 AB 46 0B 3E 3E");
        byte[] built = new byte[48 + 42];
        ResponseHeader.modern(14, 250, 0, 42, 500, 4, 0, 1, Arrays.copyOf(r, 22), 0x4647).encode(built, 0);
        System.arraycopy("20250323".getBytes(StandardCharsets.US_ASCII), 0, built, 48, 8);
        Crypto.get().ctr(key, built, 24, built, 48, 8);
        Crypto.get().hmac(key, built, 48, 8, built, 56);
        Bytes.putTerminator(built, 88);
        assertThat(Bytes.hex(built)).isEqualTo(Bytes.hex(expected));
        RaidaResponse parsed = ResponseParser.parse(req, expected);
        assertThat(ascii(parsed.payload())).isEqualTo("20250323");
        assertThat(parsed.executionMicros()).isEqualTo(500);

        // our server's reply to E3 (random R) has the same shape and decrypts too
        byte[] ours = server().answer(frame, Transport.TCP);
        assertThat(ReferenceVectors.maskedDiff(expected, ours,
                List.of(new Range(4, 8), new Range(24, 46), new Range(48, 88)))).isEmpty();
        assertThat(ascii(ResponseParser.parse(req, ours).payload())).isEqualTo("20250323");

        // type 5 key
        assertThat(Bytes.hex(Crypto.get().sha256(AN, AN2))).isEqualTo(
                "718e9433d032cd92c3449176313d706d" + "099dcc68cb5fd68336afb9971a11889a");
    }
}
