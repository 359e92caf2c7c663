package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RaidaStatusException;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.client.ResponseVerificationException;
import io.raida.protocol.testing.ReferenceVectors;
import io.raida.protocol.testing.ReferenceVectors.Case;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Client side against the reference: {@link RequestBuilder} (with its deterministic test setters)
 * reproduces the captured requests byte for byte, and {@link ResponseParser} verifies and decrypts
 * the reference's recorded replies; corrupted replies raise the typed exceptions.
 */
class ClientVectorsTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final byte[] AN1 = V.coin(0, 1).an();

    private static ClientRequest type0(int code, byte[] payload) {
        RequestBuilder b = RequestBuilder.command(0, 0, code).challengeSeed(V.challengeSeed()).echo(V.legacyEcho());
        if (payload != null) {
            b.payload(payload);
        }
        return b.build();
    }

    private static ClientRequest type1(int code, byte[] payload) {
        RequestBuilder b = RequestBuilder.command(0, 0, code).challengeSeed(V.challengeSeed()).nonce(V.type1Nonce())
                .encryptWithCoin(0, 1, AN1);
        if (payload != null) {
            b.payload(payload);
        }
        return b.build();
    }

    private static ClientRequest type4(int code, byte[] payload) {
        RequestBuilder b = RequestBuilder.command(0, 0, code).nonce(V.type4Nonce()).authenticateWithCoin(0, 1, AN1);
        if (payload != null) {
            b.payload(payload);
        }
        return b.build();
    }

    private static byte[] range(int from, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void type0RequestsAreReproducedAndRepliesVerify() {
        ClientRequest echo = type0(0, null);
        assertThat(echo.frame()).isEqualTo(V.get("echo_tcp_type0").request());
        assertThat(echo.frame()).isEqualTo(V.get("echo_udp_type0").request());
        RaidaResponse r = ResponseParser.parse(echo, V.get("echo_tcp_type0").response());
        assertThat(r.status()).isEqualTo(250);
        assertThat(r.payload()).isEmpty();
        assertThat(r.header().echo()).isEqualTo(0xABCD);
        assertThat(r.header().signature()).isEqualTo(Arrays.copyOfRange(echo.frame(), 32, 48));
        assertThat(echo.matches(V.get("echo_udp_type0").response(), 0, 32)).isTrue();

        ClientRequest echoPayload = type0(0, range(0x40, 32));
        assertThat(echoPayload.frame()).isEqualTo(V.get("echo_tcp_type0_payload").request());
        assertThat(ResponseParser.parse(echoPayload, V.get("echo_tcp_type0_payload").response()).isSuccess()).isTrue();

        ClientRequest version = type0(1, null);
        assertThat(version.frame()).isEqualTo(V.get("version_tcp_type0").request());
        RaidaResponse vr = ResponseParser.parse(version, V.get("version_tcp_type0").response());
        assertThat(new String(vr.payload(), StandardCharsets.US_ASCII)).isEqualTo("20250323");

        ClientRequest noBody = RequestBuilder.command(0, 0, 0).echo(0xABCD).emptyBody().build();
        assertThat(noBody.frame()).isEqualTo(V.get("echo_tcp_type0_no_body").request());
        assertThat(ResponseParser.parse(noBody, V.get("echo_tcp_type0_no_body").response()).isSuccess()).isTrue();

        ClientRequest badKey = type0(2, new byte[16]);
        assertThat(badKey.frame()).isEqualTo(V.get("show_stats_tcp_bad_key").request());
        RaidaResponse br = ResponseParser.parse(badKey, V.get("show_stats_tcp_bad_key").response());
        assertThat(br.status()).isEqualTo(38);
        assertThatThrownBy(br::require).isInstanceOf(RaidaStatusException.class)
                .hasMessageContaining("ERROR_ADMIN_AUTH(38)").satisfies(e ->
                        assertThat(((RaidaStatusException) e).status()).isEqualTo(38));

        ClientRequest goodKey = type0(2, V.adminKey());
        assertThat(goodKey.frame()).isEqualTo(V.get("show_stats_tcp_good_key").request());
        assertThat(ResponseParser.parse(goodKey, V.get("show_stats_tcp_good_key").response()).payload()).hasSize(32);
    }

    @Test
    void type1VersionDecryptsUnderContinueAndCalibrates() {
        ClientRequest echo = type1(0, null);
        assertThat(echo.frame()).isEqualTo(V.get("echo_tcp_type1_den0_sn1").request());
        RaidaResponse er = ResponseParser.parse(echo, V.get("echo_tcp_type1_den0_sn1").response());
        assertThat(er.isSuccess()).isTrue();
        assertThat(er.header().echo()).isEqualTo(0x1718);

        ClientRequest version = type1(1, null);
        assertThat(version.frame()).isEqualTo(V.get("version_tcp_type1_den0_sn1").request());
        for (String name : new String[] {"version_tcp_type1_den0_sn1", "version_udp_type1_den0_sn1"}) {
            byte[] reply = V.get(name).response();
            assertThat(new String(ResponseParser.parse(version, reply).payload(), StandardCharsets.US_ASCII))
                    .as(name).isEqualTo("20250323");
            assertThat(ResponseParser.calibrate(version, reply)).as("AES-NI reference continues the counter")
                    .isEqualTo(KeystreamMode.CONTINUE);
        }
        ClientRequest restart = RequestBuilder.command(0, 0, 1).challengeSeed(V.challengeSeed()).nonce(V.type1Nonce())
                .encryptWithCoin(0, 1, AN1).keystream(KeystreamMode.RESTART).build();
        assertThat(new String(ResponseParser.parse(restart, V.get("version_tcp_type1_den0_sn1").response()).payload(),
                StandardCharsets.US_ASCII)).as("wrong keystream mode gives garbage").isNotEqualTo("20250323");

        // 48 plaintext bytes = 3 request blocks, so the reply keystream starts at block 3
        ClientRequest withPayload = type1(1, range(0, 32));
        Case c = V.get("version_tcp_type1_with_payload");
        assertThat(withPayload.frame()).isEqualTo(c.request());
        assertThat(new String(ResponseParser.parse(withPayload, c.response()).payload(), StandardCharsets.US_ASCII))
                .isEqualTo("20250323");
    }

    @Test
    void type1ErrorRepliesOfTheReference() {
        // 34 before any body processing: zero signature, echo still present
        ClientRequest missing = RequestBuilder.command(0, 0, 0).challengeSeed(V.challengeSeed()).nonce(V.type1Nonce())
                .encryptWithCoin(0x7F, 1, AN1).build();
        assertThat(missing.frame()).isEqualTo(V.get("echo_tcp_type1_missing_den").request());
        assertThat(ResponseParser.parse(missing, V.get("echo_tcp_type1_missing_den").response()).status()).isEqualTo(34);
        ClientRequest outOfRange = RequestBuilder.command(0, 0, 0).challengeSeed(V.challengeSeed())
                .nonce(V.type1Nonce()).encryptWithCoin(0, 1_024_000, AN1).build();
        assertThat(outOfRange.frame()).isEqualTo(V.get("echo_tcp_type1_sn_out_of_range").request());
        ClientRequest alias = RequestBuilder.command(0, 0, 0).challengeSeed(V.challengeSeed()).nonce(V.type1Nonce())
                .encryptWithCoin(0, 0x04000001L, AN1).build();
        assertThat(alias.frame()).isEqualTo(V.get("echo_tcp_type1_sn_alias_bug").request());
        // the reference accepted the aliased SN with SN 1's key (D-32): its reply even verifies
        assertThat(ResponseParser.parse(alias, V.get("echo_tcp_type1_sn_alias_bug").response()).isSuccess()).isTrue();
        // the reference's error reply to a wrong-key request does not verify: its status is reported
        // at once, marked unauthenticated (issue 15), instead of being dropped as a forgery
        byte[] wrongKey = V.get("echo_tcp_type1_wrong_key").response();
        assertThatThrownBy(() -> ResponseParser.parse(type1(0, null), wrongKey))
                .isInstanceOf(io.raida.protocol.client.UnauthenticatedStatusException.class)
                .hasMessageContaining("status " + (wrongKey[2] & 0xFF) + " from RAIDA 0, reply not authenticated");
        // a success reply that does not verify is still a verification failure, never a result
        byte[] forged = wrongKey.clone();
        forged[2] = (byte) 250;
        assertThatThrownBy(() -> ResponseParser.parse(type1(0, null), forged))
                .isInstanceOf(ResponseVerificationException.class).hasMessageContaining("signature");
    }

    @Test
    void type4RequestsAreReproducedAndRepliesDecrypt() {
        ClientRequest version = type4(1, null);
        Case c = V.get("version_tcp_type4_den0_sn1");
        assertThat(version.frame()).isEqualTo(c.request());
        assertThat(version.echo()).isEqualTo(0x3637);
        for (String name : new String[] {"version_tcp_type4_den0_sn1", "version_udp_type4_den0_sn1"}) {
            RaidaResponse r = ResponseParser.parse(version, V.get(name).response());
            assertThat(r.header().size()).isEqualTo(48);
            assertThat(new String(r.payload(), StandardCharsets.US_ASCII)).as(name).isEqualTo("20250323");
        }
        // echo vectors carry 16 payload bytes; reproduce by decrypting them back
        Case e = V.get("echo_tcp_type4_den0_sn1");
        byte[] key = Crypto.get().sha256(AN1, null);
        byte[] plain = Arrays.copyOfRange(e.request(), 48, 64);
        Crypto.get().ctr(key, e.request(), 24, plain, 0, 16);
        ClientRequest echo = type4(0, plain);
        assertThat(echo.frame()).isEqualTo(e.request());
        RaidaResponse er = ResponseParser.parse(echo, e.response());
        assertThat(er.isSuccess()).isTrue();
        assertThat(er.header().serialNumber()).isEqualTo(1);
        // 204 / 25 / 16 replies are 48-byte headers without body
        assertThat(ResponseParser.parse(echo, V.get("echo_tcp_type4_bad_hmac").response()).status()).isEqualTo(204);
        assertThat(ResponseParser.parse(echo, V.get("echo_tcp_type4_short_body").response()).status()).isEqualTo(16);
    }

    @Test
    void earlyHeaderErrorsAre32ByteRepliesEvenForType4() {
        ClientRequest r = type4(1, null);
        // a 32-byte reply with status 7 to a 48-byte request (wire-format §9.3): total - size rule
        byte[] reply = V.get("err_coin_id_7_tcp").response();
        RaidaResponse p = ResponseParser.parse(r, reply);
        assertThat(p.header().size()).isEqualTo(32);
        assertThat(p.status()).isEqualTo(7);
    }

    // ---- corrupted replies -------------------------------------------------------------------

    @Test
    void flippedHmacByteIsAVerificationFailure() {
        ClientRequest version = type4(1, null);
        byte[] reply = V.get("version_tcp_type4_den0_sn1").response();
        for (int i = 48; i < reply.length - 2; i++) {
            byte[] bad = reply.clone();
            bad[i] ^= 0x01;
            assertThatThrownBy(() -> ResponseParser.parse(version, bad)).as("byte %d flipped", i)
                    .isInstanceOf(ResponseVerificationException.class).hasMessageContaining("HMAC");
        }
    }

    @Test
    void wrongSignatureWrongEchoWrongRaida() {
        ClientRequest echo = type0(0, null);
        byte[] reply = V.get("echo_tcp_type0").response();
        byte[] sig = reply.clone();
        sig[20] ^= 0x40;
        assertThatThrownBy(() -> ResponseParser.parse(echo, sig)).isInstanceOf(ResponseVerificationException.class)
                .hasMessageContaining("challenge signature");
        byte[] echoBytes = reply.clone();
        echoBytes[7] ^= 0x01;
        assertThatThrownBy(() -> ResponseParser.parse(echo, echoBytes))
                .isInstanceOf(ResponseVerificationException.class).hasMessageContaining("echo bytes abcc")
                .hasMessageContaining("abcd");
        byte[] raida = reply.clone();
        raida[0] = 3;
        assertThatThrownBy(() -> ResponseParser.parse(echo, raida)).isInstanceOf(ResponseVerificationException.class)
                .hasMessageContaining("RAIDA 3").hasMessageContaining("RAIDA 0");
        // type 1: the signature proves the server holds the AN
        ClientRequest t1 = type1(0, null);
        byte[] t1reply = V.get("echo_tcp_type1_den0_sn1").response();
        t1reply[31] ^= 0x01;
        assertThatThrownBy(() -> ResponseParser.parse(t1, t1reply)).isInstanceOf(ResponseVerificationException.class)
                .hasMessageContaining("does not hold this AN");
        // a zero signature on a success status is not accepted
        byte[] zero = V.get("echo_tcp_type1_den0_sn1").response();
        Arrays.fill(zero, 16, 32, (byte) 0);
        assertThatThrownBy(() -> ResponseParser.parse(t1, zero)).isInstanceOf(ResponseVerificationException.class);
        // type 4: wrong echo
        ClientRequest t4 = type4(1, null);
        byte[] t4reply = V.get("version_tcp_type4_den0_sn1").response();
        t4reply[46] = 0;
        assertThatThrownBy(() -> ResponseParser.parse(t4, t4reply)).isInstanceOf(ResponseVerificationException.class)
                .hasMessageContaining("echo");
    }

    @Test
    void truncatedBadTerminatorWrongHeaderSize() {
        ClientRequest version = type0(1, null);
        byte[] reply = V.get("version_tcp_type0").response();
        for (int len = 0; len < reply.length; len++) {
            byte[] cut = Arrays.copyOf(reply, len);
            assertThatThrownBy(() -> ResponseParser.parse(version, cut)).as("truncated to %d", len)
                    .isInstanceOf(MalformedResponseException.class);
        }
        assertThatThrownBy(() -> ResponseParser.parse(version, Arrays.copyOf(reply, 20)))
                .hasMessageContaining("shorter than the 32-byte header");
        assertThatThrownBy(() -> ResponseParser.parse(version, Arrays.copyOf(reply, 41)))
                .hasMessageContaining("leaving 31 header bytes (expected 32 or 48)");
        byte[] term = reply.clone();
        term[term.length - 1] = 0x3F;
        assertThatThrownBy(() -> ResponseParser.parse(version, term)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("3E 3E");
        byte[] size = reply.clone();
        size[11] = 0x0B;
        assertThatThrownBy(() -> ResponseParser.parse(version, size)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("declares a body of 11 bytes");
        // 48-byte type 4 reply whose body cannot hold the HMAC
        ClientRequest t4 = type4(1, null);
        byte[] shortBody = new byte[48 + 10];
        System.arraycopy(V.get("version_tcp_type4_den0_sn1").response(), 0, shortBody, 0, 48);
        Bytes.putU24(shortBody, 9, 10);
        Bytes.putTerminator(shortBody, 56);
        assertThatThrownBy(() -> ResponseParser.parse(t4, shortBody)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("at least 34");
        // a 48-byte reply with a body cannot answer a type 0 request
        byte[] modern = V.get("version_tcp_type4_den0_sn1").response();
        modern[46] = (byte) 0xAB;
        modern[47] = (byte) 0xCD;
        assertThatThrownBy(() -> ResponseParser.parse(version, modern)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("types 4/5");
    }

    @Test
    void bodyOnA32ByteReplyToAType4RequestIsRejected() {
        ClientRequest t4 = type4(1, null);
        // a 32-byte header with a plaintext "body" must never be handed out as a type-4 payload
        byte[] forged = new byte[32 + 10];
        forged[2] = (byte) 250;
        Bytes.putU24(forged, 9, 10);
        Bytes.putU16(forged, 6, t4.echo());
        System.arraycopy("20250323".getBytes(StandardCharsets.US_ASCII), 0, forged, 32, 8);
        Bytes.putTerminator(forged, 40);
        assertThatThrownBy(() -> ResponseParser.parse(t4, forged)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("type 4");
    }

    @Test
    void repliesInsideALargerBufferParseTheSame() {
        for (String name : new String[] {"version_tcp_type4_den0_sn1", "version_tcp_type1_den0_sn1",
                "version_tcp_type0"}) {
            ClientRequest req = name.contains("type4") ? type4(1, null) : name.contains("type1") ? type1(1, null)
                    : type0(1, null);
            byte[] reply = V.get(name).response();
            byte[] buf = new byte[reply.length + 13];
            System.arraycopy(reply, 0, buf, 7, reply.length);
            RaidaResponse r = ResponseParser.parse(req, buf, 7, reply.length);
            assertThat(new String(r.payload(), StandardCharsets.US_ASCII)).as(name).isEqualTo("20250323");
            assertThat(req.matches(buf, 7, reply.length)).isTrue();
        }
    }

    @Test
    void calibrateRejectsAReplyThatIsNotAVersion() {
        ClientRequest version = type1(1, null);
        byte[] reply = V.get("version_tcp_type1_den0_sn1").response();
        byte[] garbled = reply.clone();
        garbled[32] ^= (byte) 0x80;
        garbled[33] ^= (byte) 0x80;
        assertThatThrownBy(() -> ResponseParser.calibrate(version, garbled))
                .isInstanceOf(ResponseVerificationException.class).hasMessageContaining("neither keystream mode");
    }
}
