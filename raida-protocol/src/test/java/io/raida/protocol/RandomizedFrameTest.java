package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.DecoderProbe;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation testing of the decoder and the response parser. Seeds are valid frames of every
 * encryption type (and the reference vectors' requests); mutations flip bits, truncate, extend,
 * write random bytes into header fields (byte 16 and the body-size fields included) or replace the
 * frame with random bytes. Each mutated frame goes through TCP feeding (random chunks) and
 * {@link DecoderProbe#decodeDatagram}: nothing may throw, every reply must be well formed, the body
 * buffer never exceeds the configured limit, and TCP and UDP agree on the status.
 */
class RandomizedFrameTest {
    private static final long SEED = 0x5EED_2026_1121L;
    private static final int FRAMES = 100_000;
    private static final int RESPONSES = 30_000;
    private static final int MAX_BODY = 3_000;
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final byte[] LOCKER = Bytes.fromHex("0a0b0c0d0e0f101112131415ffffffff");

    private static ServerCore core() {
        InMemoryCoinKeyResolver keys = ReferenceServer.resolver(V).putLocker(LOCKER);
        ServerCore core = ReferenceServer.builder(V).maxBodySize(MAX_BODY).keyResolver(keys).build();
        core.registry().register(3, 99, req -> {
            throw new IllegalStateException("handler failure injected by the test");
        });
        core.registry().register(3, 98, req -> null);
        core.registry().register(3, 97, req -> CommandResult.success(req.payload()));
        return core;
    }

    /** Valid requests of every type plus their builders (for the response-parser half). */
    private static List<ClientRequest> seedRequests() {
        byte[] an1 = V.coin(0, 1).an();
        byte[] an2 = V.coin(0, 2).an();
        byte[] an3 = V.coin(-8, 5).an();
        List<ClientRequest> l = new ArrayList<>();
        for (int code : new int[] {0, 1}) {
            l.add(RequestBuilder.command(0, 0, code).build());
            l.add(RequestBuilder.command(0, 0, code).emptyBody().build());
            l.add(RequestBuilder.command(0, 0, code).encryptWithCoin(0, 1, an1).build());
            l.add(RequestBuilder.command(0, 0, code).encryptWithLocker(LOCKER).build());
            l.add(RequestBuilder.command(0, 0, code).authenticateWithCoin(-8, 5, an3).build());
            l.add(RequestBuilder.command(0, 0, code).authenticateWithCoins(0, 1, an1, 0, 2, an2).build());
        }
        l.add(RequestBuilder.command(0, 0, 2).payload(V.adminKey()).build());
        l.add(RequestBuilder.command(0, 0, 2).payload(new byte[16]).build());
        l.add(RequestBuilder.command(0, 3, 97).payload(new byte[40]).encryptWithCoin(0, 3, V.coin(0, 3).an()).build());
        l.add(RequestBuilder.command(0, 3, 97).payload(new byte[300]).authenticateWithCoin(1, 1024,
                V.coin(1, 1024).an()).build());
        l.add(RequestBuilder.command(0, 3, 97).payload(new byte[2000]).build());
        l.add(RequestBuilder.command(0, 3, 98).build());
        l.add(RequestBuilder.command(0, 3, 99).build());
        return l;
    }

    private static List<byte[]> seedFrames() {
        List<byte[]> seeds = new ArrayList<>();
        for (ClientRequest r : seedRequests()) {
            seeds.add(r.frame());
        }
        for (ReferenceVectors.Case c : V.cases()) {
            seeds.add(c.request());
        }
        byte[] type3 = Arrays.copyOf(seeds.get(0), 48 + 18);
        type3[16] = 3;
        seeds.add(type3);
        return seeds;
    }

    private static byte[] mutate(SplittableRandom rnd, byte[] seed) {
        byte[] f = seed.clone();
        int ops = 1 + rnd.nextInt(3);
        for (int o = 0; o < ops; o++) {
            switch (rnd.nextInt(9)) {
                case 0: { // bit flips
                    if (f.length == 0) {
                        break;
                    }
                    for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                        f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    break;
                }
                case 1: // truncation
                    f = Arrays.copyOf(f, rnd.nextInt(f.length + 1));
                    break;
                case 2: { // extension with random bytes
                    int old = f.length;
                    f = Arrays.copyOf(f, old + 1 + rnd.nextInt(64));
                    for (int i = old; i < f.length; i++) {
                        f[i] = (byte) rnd.nextInt(256);
                    }
                    break;
                }
                case 3: // random byte in a header field
                    if (f.length > 0) {
                        f[rnd.nextInt(Math.min(f.length, 48))] = (byte) rnd.nextInt(256);
                    }
                    break;
                case 4: // encryption type byte
                    if (f.length > 16) {
                        f[16] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(7));
                    }
                    break;
                case 5: // body size field of either header layout
                    if (f.length >= 24) {
                        int v = rnd.nextInt(3) == 0 ? rnd.nextInt(0x10000) : rnd.nextInt(Math.max(1, f.length + 8));
                        Bytes.putU16(f, rnd.nextBoolean() ? 22 : 17, v);
                    }
                    break;
                case 6: { // random bytes of random length
                    f = new byte[rnd.nextInt(120)];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (byte) rnd.nextInt(256);
                    }
                    if (f.length > 0 && rnd.nextBoolean()) {
                        f[0] = 1;
                    }
                    break;
                }
                case 7: // body-size field consistent with the (possibly changed) length
                    if (f.length > 17) {
                        int hs = EncryptionType.headerSizeFor(f[16] & 0xFF);
                        if (f.length >= hs) {
                            Bytes.putU16(f, hs == 32 ? 22 : 17, f.length - hs);
                        }
                    }
                    break;
                default: // terminator / tail damage
                    if (f.length > 0) {
                        f[f.length - 1] = (byte) rnd.nextInt(256);
                    }
                    break;
            }
        }
        return f;
    }

    private static void assertWellFormed(byte[] resp, byte[] frame, String how) {
        String ctx = how + " of " + Bytes.hex(frame);
        assertThat(resp.length).as(ctx).isGreaterThanOrEqualTo(32);
        assertThat(resp[0]).as(ctx).isEqualTo((byte) 0);
        assertThat(resp[1]).as(ctx).isEqualTo((byte) 0);
        assertThat(resp[2]).as("status of %s", ctx).isNotEqualTo((byte) 0);
        int size = Bytes.u24(resp, 9);
        int hs = resp.length - size;
        assertThat(hs).as("total - size of %s", ctx).isIn(32, 48);
        if (hs == 32) {
            assertThat(Bytes.u16(resp, 4)).as(ctx).isEqualTo(1);
        }
        if (size > 0) {
            assertThat(resp[2] & 0xFF).as(ctx).isNotIn(255, 2, 3, 4, 5, 6, 7, 16, 25, 27, 33, 34, 37, 204);
            assertThat(size).as(ctx).isGreaterThanOrEqualTo(hs == 48 ? 35 : 3);
            assertThat(Bytes.isTerminator(resp, resp.length - 2)).as(ctx).isTrue();
        }
    }

    @Test
    void mutatedFramesNeverBreakTheDecoder() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        ServerCore core = core();
        List<byte[]> seeds = seedFrames();
        DecoderProbe tcp = DecoderProbe.of(core);
        DecoderProbe udp = DecoderProbe.of(core);
        int tcpAnswered = 0;
        int tcpIncomplete = 0;
        int udpDropped = 0;
        int processed = 0;
        long dropsBefore = core.stats().drops();
        int[] statusSeen = new int[256];
        for (int n = 0; n < FRAMES; n++) {
            byte[] frame = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
            Integer tcpStatus = null;
            try {
                // TCP: random chunking through one reused decoder, like a pooled connection
                tcp.reset(Transport.TCP, null, System.nanoTime());
                ByteBuffer src = ByteBuffer.wrap(frame);
                while (src.hasRemaining() && tcp.isReading()) {
                    src.limit(Math.min(frame.length, src.position() + 1 + rnd.nextInt(Math.max(1, frame.length / 2 + 1))));
                    tcp.feed(src);
                    assertThat(tcp.bodyCapacity()).isLessThanOrEqualTo(MAX_BODY);
                    src.limit(frame.length);
                }
                assertThat(tcp.bytesReceived()).isEqualTo(src.position());
                if (tcp.isReading()) {
                    tcpIncomplete++;
                    assertThat(src.position()).isEqualTo(frame.length);
                    assertThat(tcp.bytesWanted()).isPositive();
                } else {
                    if (tcp.state() == DecoderProbe.State.PROCESSING) {
                        tcp.process();
                        processed++;
                    }
                    assertThat(tcp.state()).isEqualTo(DecoderProbe.State.WANT_WRITE);
                    byte[] resp = tcp.responseCopy();
                    assertWellFormed(resp, frame, "TCP reply");
                    tcpStatus = resp[2] & 0xFF;
                    statusSeen[tcpStatus]++;
                    tcp.complete();
                    tcpAnswered++;
                }

                // UDP: the whole frame as one datagram, sometimes flagged truncated
                boolean truncated = rnd.nextInt(16) == 0;
                udp.reset(Transport.UDP, null, System.nanoTime());
                DecoderProbe.DatagramVerdict v = udp.decodeDatagram(ByteBuffer.wrap(frame), truncated);
                assertThat(udp.bodyCapacity()).isLessThanOrEqualTo(MAX_BODY);
                boolean tooShort = frame.length < 17 || frame.length < EncryptionType.headerSizeFor(frame[16] & 0xFF);
                assertThat(v == DecoderProbe.DatagramVerdict.DROP).as("drop iff too short: %s", Bytes.hex(frame))
                        .isEqualTo(tooShort);
                if (v == DecoderProbe.DatagramVerdict.DROP) {
                    udpDropped++;
                    continue;
                }
                if (v == DecoderProbe.DatagramVerdict.PROCESS) {
                    udp.process();
                }
                byte[] resp = udp.responseCopy();
                assertWellFormed(resp, frame, "UDP reply");
                if (tcpStatus != null && !truncated) {
                    assertThat(resp[2] & 0xFF).as("UDP and TCP agree on %s", Bytes.hex(frame)).isEqualTo(tcpStatus);
                }
                udp.complete();
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                fail("decoder threw on frame #" + n + " " + Bytes.hex(frame), t);
            }
        }
        assertThat(core.stats().drops() - dropsBefore).isEqualTo(udpDropped);
        assertThat(tcpAnswered + tcpIncomplete).isEqualTo(FRAMES);
        // the mutations reach deep: valid requests, body errors, crypto errors, handler errors
        assertThat(processed).isGreaterThan(1_000);
        for (int s : new int[] {250, 255, 2, 3, 4, 5, 6, 7, 16, 25, 27, 33, 34, 37, 38, 204, 252}) {
            assertThat(statusSeen[s]).as("status %d reached", s).isPositive();
        }
        assertThat(tcpIncomplete).isPositive();
        assertThat(udpDropped).isPositive();
    }

    @Test
    void mutatedResponsesRaiseOnlyRaidaExceptions() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        ServerCore core = core();
        List<ClientRequest> requests = new ArrayList<>(seedRequests());
        List<byte[]> replies = new ArrayList<>();
        for (ClientRequest r : requests) {
            byte[] reply = core.answer(r.frame(), Transport.TCP);
            assertThat(reply).isNotNull();
            replies.add(reply);
        }
        // the reference's own replies to requests the builder reproduces
        byte[] an1 = V.coin(0, 1).an();
        String[][] recorded = {{"0", "echo_tcp_type0"}, {"0", "version_tcp_type0"}, {"1", "version_tcp_type1_den0_sn1"},
            {"1", "echo_tcp_type1_den0_sn1"}, {"4", "version_tcp_type4_den0_sn1"}, {"4", "echo_tcp_type4_bad_hmac"},
            {"0", "err_routing_byte_0_tcp"}, {"0", "err_bad_crc_tcp"}};
        for (String[] rec : recorded) {
            ReferenceVectors.Case c = V.get(rec[1]);
            RequestBuilder b = RequestBuilder.command(0, 0, c.request()[5]).challengeSeed(V.challengeSeed());
            switch (rec[0]) {
                case "1":
                    b.nonce(V.type1Nonce()).encryptWithCoin(0, 1, an1);
                    break;
                case "4":
                    b.nonce(V.type4Nonce()).authenticateWithCoin(0, 1, an1);
                    break;
                default:
                    b.echo(V.legacyEcho());
            }
            requests.add(b.build());
            replies.add(c.response());
        }
        int ok = 0;
        int typed = 0;
        for (int n = 0; n < RESPONSES; n++) {
            int i = rnd.nextInt(requests.size());
            byte[] resp = mutate(rnd, replies.get(i));
            try {
                RaidaResponse r = ResponseParser.parse(requests.get(i), resp);
                assertThat(r.header().size()).isIn(32, 48);
                ok++;
            } catch (RaidaException e) {
                assertThat(e.getMessage()).isNotBlank();
                typed++;
            } catch (Throwable t) {
                fail("ResponseParser threw a non-RAIDA exception on " + Bytes.hex(resp) + " for "
                        + requests.get(i), t);
            }
            try {
                requests.get(i).matches(resp, 0, resp.length);
            } catch (Throwable t) {
                fail("ClientRequest.matches threw on " + Bytes.hex(resp), t);
            }
        }
        assertThat(ok + typed).isEqualTo(RESPONSES);
        assertThat(typed).isGreaterThan(RESPONSES / 2);
        assertThat(ok).isPositive();
    }
}
