package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.CommandGroup;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Command dispatch: built-in echo/version/show_stats, unknown commands, failing handlers, the
 * registry, the handler's view of the payload for every encryption type (D-14), key resolvers,
 * datagram interceptors and the statistics.
 */
class DispatchTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final byte[] AN1 = V.coin(0, 1).an();
    private static final byte[] AN2 = V.coin(0, 2).an();
    private static final byte[] LOCKER = Bytes.fromHex("c0c1c2c3c4c5c6c7c8c9cacbffffffff");

    private final ServerCore core = ReferenceServer.builder(V)
            .keyResolver(ReferenceServer.resolver(V).putLocker(LOCKER)).build();

    private RaidaResponse exchange(ClientRequest req, Transport t) {
        byte[] reply = core.answer(req.frame(), t);
        assertThat(reply).isNotNull();
        assertThat(req.matches(reply, 0, reply.length)).isTrue();
        return ResponseParser.parse(req, reply);
    }

    private static List<RequestBuilder> everyType(int group, int code) {
        List<RequestBuilder> l = new ArrayList<>();
        l.add(RequestBuilder.command(0, group, code));
        l.add(RequestBuilder.command(0, group, code).encryptWithCoin(0, 1, AN1));
        l.add(RequestBuilder.command(0, group, code).encryptWithLocker(LOCKER));
        l.add(RequestBuilder.command(0, group, code).authenticateWithCoin(0, 1, AN1));
        l.add(RequestBuilder.command(0, group, code).authenticateWithCoins(0, 1, AN1, 0, 2, AN2));
        return l;
    }

    @Test
    void legacyReplyKeystreamOptionEmulatesReferenceServersOnOtherCpus() {
        ServerCore restarting = ReferenceServer.builder(V).legacyReplyKeystream(KeystreamMode.RESTART).build();
        for (ServerCore c : List.of(core, restarting)) {
            ClientRequest req = RequestBuilder.command(0, 0, 1).encryptWithCoin(0, 1, AN1).build();
            byte[] reply = c.answer(req.frame(), Transport.TCP);
            assertThat(ResponseParser.calibrate(req, reply)).isEqualTo(c.legacyReplyKeystream());
            ClientRequest calibrated = RequestBuilder.command(0, 0, 1).encryptWithCoin(0, 1, AN1)
                    .keystream(c.legacyReplyKeystream()).build();
            RaidaResponse r = ResponseParser.parse(calibrated, c.answer(calibrated.frame(), Transport.TCP));
            assertThat(new String(r.payload(), StandardCharsets.US_ASCII)).isEqualTo("20250323");
        }
        assertThat(core.legacyReplyKeystream()).isEqualTo(KeystreamMode.CONTINUE);
    }

    @Test
    void echoAndVersionForEveryTypeAndTransport() {
        for (Transport t : Transport.values()) {
            for (RequestBuilder b : everyType(0, 0)) {
                RaidaResponse r = exchange(b.build(), t);
                assertThat(r.status()).isEqualTo(250);
                assertThat(r.payload()).isEmpty();
                assertThat(r.header().bodySize()).as("echo has no body, not even a terminator").isZero();
            }
            for (RequestBuilder b : everyType(0, 1)) {
                ClientRequest req = b.build();
                RaidaResponse r = exchange(req, t);
                assertThat(new String(r.payload(), StandardCharsets.US_ASCII)).isEqualTo("20250323");
                assertThat(r.header().size()).isEqualTo(req.encryptionType().isModern() ? 48 : 32);
                assertThat(r.header().bodySize()).isEqualTo(req.encryptionType().isModern() ? 42 : 10);
            }
        }
    }

    @Test
    void showStats() {
        ClientRequest good = RequestBuilder.command(0, 0, 2).payload(V.adminKey()).build();
        RaidaResponse r = exchange(good, Transport.TCP).require();
        assertThat(r.payload()).hasSize(32);
        byte[] wrongKey = V.adminKey();
        wrongKey[15] ^= 1;
        assertThat(exchange(RequestBuilder.command(0, 0, 2).payload(wrongKey).build(), Transport.TCP).status())
                .isEqualTo(38);
        assertThat(exchange(RequestBuilder.command(0, 0, 2).payload(new byte[15]).build(), Transport.TCP).status())
                .as("short key (D-18: length checked)").isEqualTo(38);
        assertThat(exchange(RequestBuilder.command(0, 0, 2).build(), Transport.TCP).status()).isEqualTo(38);
        assertThat(exchange(RequestBuilder.command(0, 0, 2).emptyBody().build(), Transport.TCP).status())
                .as("no body").isEqualTo(36);
        // every encryption type carries the key in its payload (D-14)
        for (RequestBuilder b : everyType(0, 2)) {
            assertThat(exchange(b.payload(V.adminKey()).build(), Transport.UDP).payload()).hasSize(32);
        }
        // no admin key configured: always 38
        ServerCore noKey = ServerCore.builder().build();
        byte[] reply = noKey.answer(RequestBuilder.command(0, 0, 2).payload(new byte[16]).build().frame(), Transport.TCP);
        assertThat(reply[2] & 0xFF).isEqualTo(38);
    }

    @Test
    void showStatsExtendedBlock() {
        ServerCore c = ReferenceServer.create(V);
        byte[] echo = RequestBuilder.command(0, 0, 0).build().frame();
        c.answer(echo, Transport.TCP);
        c.answer(echo, Transport.TCP);
        c.answer(echo, Transport.UDP);
        c.answer(Arrays.copyOf(echo, 10), Transport.UDP); // dropped
        c.answer(RequestBuilder.command(0, 0, 9).build().frame(), Transport.TCP); // 6
        byte[] payload = Arrays.copyOf(V.adminKey(), 17);
        payload[16] = 1;
        ClientRequest req = RequestBuilder.command(0, 0, 2).payload(payload).build();
        byte[] p = ResponseParser.parse(req, c.answer(req.frame(), Transport.TCP)).require().payload();
        // statuses seen before this reply: 250 (3 echoes) and 6
        assertThat(p).hasSize(32 + 7 * 8 + 1 + 2 * 9);
        assertThat(Bytes.hex(p, 0, 32)).isEqualTo("0000000000000003" + "0000000000000000" + "0000000000000000"
                + "0000000000000001");
        long[] ext = new long[7];
        for (int i = 0; i < 7; i++) {
            ext[i] = Bytes.u32(p, 32 + i * 8 + 4) | Bytes.u32(p, 32 + i * 8) << 32;
        }
        assertThat(ext).containsExactly(4, 3, 1, 0, 0, 0, 0); // total, tcp, drops, timeouts, rejected, active, failures
        assertThat(p[88]).isEqualTo((byte) 2);
        assertThat(Bytes.hex(p, 89, 18)).isEqualTo("06" + "0000000000000001" + "fa" + "0000000000000003");
        // a flag byte other than 1 and 2 (2: extended + bulkheads, BulkheadSectionTest): plain block
        payload[16] = 3;
        ClientRequest plain = RequestBuilder.command(0, 0, 2).payload(payload).build();
        assertThat(ResponseParser.parse(plain, c.answer(plain.frame(), Transport.TCP)).payload()).hasSize(32);
    }

    @Test
    void unknownCommandsAre6() {
        for (int[] gc : new int[][] {{0, 3}, {0, 9}, {0, 255}, {5, 0}, {6, 1}, {7, 1}, {14, 5}, {15, 0}, {1, 10}}) {
            byte[] r = core.answer(RequestBuilder.command(0, gc[0], gc[1]).build().frame(), Transport.TCP);
            assertThat(r[2] & 0xFF).as("%d/%d", gc[0], gc[1]).isEqualTo(6);
            assertThat(r[3]).as("group not recorded before the handler check").isZero();
        }
    }

    @Test
    void failingHandlersAre252AndTheDecoderKeepsServing() {
        core.registry().register(3, 200, req -> {
            throw new java.io.IOException("disk gone");
        });
        core.registry().register(3, 201, req -> null);
        core.registry().register(3, 202, req -> {
            throw new ExceptionInInitializerError("simulated");
        });
        RequestDecoder d = core.newDecoder();
        byte[] echo = RequestBuilder.command(0, 0, 0).build().frame();
        for (int round = 0; round < 3; round++) {
            for (int code : new int[] {200, 201, 202}) {
                for (Transport t : Transport.values()) {
                    byte[] f = RequestBuilder.command(0, 3, code).payload(new byte[5]).encryptWithCoin(0, 1, AN1)
                            .build().frame();
                    d.reset(t, null, System.nanoTime());
                    if (t == Transport.TCP) {
                        assertThat(d.feed(f, 0, f.length)).isEqualTo(f.length);
                    } else {
                        assertThat(d.decodeDatagram(ByteBuffer.wrap(f), false))
                                .isEqualTo(RequestDecoder.DatagramVerdict.PROCESS);
                    }
                    assertThat(d.isNonBlocking()).isFalse();
                    d.process();
                    assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_WRITE);
                    assertThat(d.status()).isEqualTo(252);
                    assertThat(d.responseArray()).hasSize(32);
                    assertThat(d.responseArray()[3]).isEqualTo((byte) 3);
                    d.complete();
                    d.reset(t, null, System.nanoTime());
                    d.feed(echo, 0, echo.length);
                    d.process();
                    assertThat(d.status()).as("same decoder serves the next request").isEqualTo(250);
                }
            }
        }
        assertThat(core.stats().handlerFailures()).isEqualTo(18);
        assertThat(core.stats().requestsWithStatus(252)).isEqualTo(18);
        assertThat(core.stats().commandCount(3, 200)).isEqualTo(6);
    }

    @Test
    void aFailingJvmIsNotTurnedInto252() {
        core.registry().register(3, 203, req -> {
            throw new OutOfMemoryError("simulated");
        });
        byte[] f = RequestBuilder.command(0, 3, 203).payload(new byte[5]).encryptWithCoin(0, 1, AN1).build().frame();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> core.answer(f, Transport.TCP))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(core.stats().handlerFailures()).isZero();
    }

    @Test
    void failingKeyResolverIs252() {
        CoinKeyResolver broken = new CoinKeyResolver() {
            @Override
            public byte[] coinAn(int denomination, long serialNumber) {
                throw new IllegalStateException("page store unavailable");
            }

            @Override
            public byte[] lockerAn(byte[] prefix, int off) {
                return new byte[3]; // malformed: not a 16-byte AN
            }
        };
        ServerCore c = ReferenceServer.builder(V).keyResolver(broken).build();
        byte[] t1 = RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN1).build().frame();
        assertThat(c.answer(t1, Transport.TCP)[2] & 0xFF).isEqualTo(252);
        byte[] t2 = RequestBuilder.command(0, 0, 0).encryptWithLocker(LOCKER).build().frame();
        assertThat(c.answer(t2, Transport.TCP)[2] & 0xFF).as("a malformed locker AN is no key").isEqualTo(34);
        assertThat(c.answer(RequestBuilder.command(0, 0, 0).build().frame(), Transport.TCP)[2] & 0xFF).isEqualTo(250);
        assertThat(c.stats().handlerFailures()).isEqualTo(1);
    }

    @Test
    void handlersSeePayloadOnlyForEveryTypeD14() {
        AtomicReference<String> seen = new AtomicReference<>();
        core.registry().register(CommandGroup.AUTH, 10, req -> {
            RequestHeader h = req.header();
            seen.set(req.encryptionType() + "/" + req.commandGroup() + "/" + req.commandCode() + "/" + req.shardId()
                    + "/" + req.hasBody() + "/" + req.transport() + "/" + h.commandCode());
            byte[] p = req.payload();
            assertThat(req.payloadLength()).isEqualTo(p.length);
            assertThat(Arrays.copyOfRange(req.payloadArray(), req.payloadOffset(),
                    req.payloadOffset() + req.payloadLength())).isEqualTo(p);
            byte[] reversed = new byte[p.length];
            for (int i = 0; i < p.length; i++) {
                reversed[i] = p[p.length - 1 - i];
            }
            return CommandResult.of(StatusCode.STATUS_MIXED, reversed);
        });
        byte[] payload = new byte[21 * 3];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        for (Transport t : Transport.values()) {
            for (RequestBuilder b : everyType(1, 10)) {
                ClientRequest req = b.shard(2).payload(payload).build();
                RaidaResponse r = exchange(req, t);
                assertThat(r.status()).isEqualTo(243);
                byte[] back = r.payload();
                assertThat(back).hasSize(payload.length);
                for (int i = 0; i < back.length; i++) {
                    assertThat(back[i]).isEqualTo(payload[payload.length - 1 - i]);
                }
                assertThat(seen.get()).isEqualTo(req.encryptionType().code() + "/1/10/2/true/" + t + "/10");
            }
        }
        // a handler with an empty result answers without a body
        core.registry().register(1, 11, req -> CommandResult.of(StatusCode.STATUS_ALL_PASS));
        for (RequestBuilder b : everyType(1, 11)) {
            RaidaResponse r = exchange(b.payload(payload).build(), Transport.TCP);
            assertThat(r.status()).isEqualTo(241);
            assertThat(r.header().bodySize()).isZero();
        }
    }

    @Test
    void type2RoundTripAndLockerResolution() {
        ClientRequest req = RequestBuilder.command(0, 0, 1).encryptWithLocker(LOCKER).build();
        assertThat(Arrays.copyOfRange(req.frame(), 17, 22)).isEqualTo(Arrays.copyOf(LOCKER, 5));
        assertThat(req.frame()[16]).isEqualTo((byte) 2);
        assertThat(new String(exchange(req, Transport.TCP).payload(), StandardCharsets.US_ASCII)).isEqualTo("20250323");
        // the response signature proves the server holds the locker AN
        byte[] reply = core.answer(req.frame(), Transport.TCP);
        byte[] plain = Arrays.copyOfRange(req.frame(), 32, 48);
        Crypto.get().legacyCtr(LOCKER, req.frame(), 24, 0, plain, 0, 16);
        for (int i = 0; i < 16; i++) {
            plain[i] ^= LOCKER[i];
        }
        assertThat(Arrays.copyOfRange(reply, 16, 32)).isEqualTo(plain);

        InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver();
        byte[] a = Bytes.fromHex("0102030405aaaaaaaaaaaaaaffffffff");
        byte[] b = Bytes.fromHex("0102030405bbbbbbbbbbbbbbffffffff");
        keys.putLocker(a).putLocker(a);
        assertThat(keys.lockerAn(a, 0)).as("the same locker twice stays served").isEqualTo(a);
        byte[] prefixAt = new byte[10];
        System.arraycopy(a, 0, prefixAt, 3, 5);
        assertThat(keys.lockerAn(prefixAt, 3)).isEqualTo(a);
        keys.putLocker(b);
        assertThat(keys.lockerAn(a, 0)).as("D-34: an ambiguous prefix serves no key").isNull();
        assertThat(keys.lockerAn(b, 0)).isNull();
        ServerCore amb = ReferenceServer.builder(V).keyResolver(keys).build();
        assertThat(amb.answer(RequestBuilder.command(0, 0, 0).encryptWithLocker(a).build().frame(), Transport.TCP)[2])
                .isEqualTo((byte) 34);
        assertThatThrownBy(() -> keys.putLocker(Bytes.fromHex("0102030405aaaaaaaaaaaaaaffffff00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FF FF FF FF");
        assertThatThrownBy(() -> keys.putLocker(Bytes.fromHex("0102030405aaaaaaaaaaaaaaff00ffff")))
                .as("D-47: every one of the last four bytes").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.putLocker(new byte[15])).hasMessageContaining("16 bytes");
    }

    @Test
    void inMemoryCoinKeys() {
        InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver();
        keys.putCoin(-8, 5, AN1).putCoin(6, 1_023_999, AN2);
        assertThat(keys.coinAn(-8, 5)).isEqualTo(AN1);
        assertThat(keys.coinAn(6, 1_023_999)).isEqualTo(AN2);
        assertThat(keys.coinAn(-8, 6)).isNull();
        assertThat(keys.coinAn(-7, 5)).isNull();
        keys.removeCoin(-8, 5);
        assertThat(keys.coinAn(-8, 5)).isNull();
        assertThatThrownBy(() -> keys.putCoin(7, 1, AN1)).hasMessageContaining("-8..6");
        assertThatThrownBy(() -> keys.putCoin(0, 1_024_000, AN1)).hasMessageContaining("0..1023999");
        assertThatThrownBy(() -> keys.putCoin(0, 1, new byte[17])).hasMessageContaining("16 bytes");
        byte[] an = AN1.clone();
        keys.putCoin(1, 1, an);
        an[0] ^= 1;
        assertThat(keys.coinAn(1, 1)).as("stored as a copy").isEqualTo(AN1);
        assertThat(CoinKeyResolver.NONE.coinAn(0, 1)).isNull();
        assertThat(CoinKeyResolver.NONE.lockerAn(LOCKER, 0)).isNull();
    }

    @Test
    void commandRegistrySemantics() {
        CommandRegistry r = core.registry();
        assertThat(r.lookup(0, 0).nonBlocking()).isTrue();
        assertThat(r.lookup(0, 1).nonBlocking()).isTrue();
        assertThat(r.lookup(0, 2).nonBlocking()).isTrue();
        assertThat(r.lookup(0, 3)).isNull();
        assertThat(r.lookup(-1, 0)).isNull();
        assertThat(r.lookup(0, 256)).isNull();
        assertThat(r.lookup(16, 0)).isNull();
        CommandHandler h1 = req -> CommandResult.success(new byte[] {1});
        CommandHandler h2 = req -> CommandResult.success(new byte[] {2});
        r.register(9, 91, h1);
        CommandRegistry.Registration reg = r.lookup(9, 91);
        assertThat(reg.group()).isEqualTo(9);
        assertThat(reg.code()).isEqualTo(91);
        assertThat(reg.handler()).isSameAs(h1);
        assertThat(reg.nonBlocking()).isFalse();
        r.registerNonBlocking(9, 91, h2);
        assertThat(r.lookup(9, 91).handler()).as("replaces").isSameAs(h2);
        assertThat(r.lookup(9, 91).nonBlocking()).isTrue();
        ClientRequest req = RequestBuilder.command(0, 9, 91).build();
        RequestDecoder d = core.newDecoder();
        d.reset(Transport.TCP, new InetSocketAddress("127.0.0.1", 4), System.nanoTime());
        d.feed(req.frame(), 0, req.length());
        assertThat(d.isNonBlocking()).isTrue();
        assertThat(d.commandGroup()).isEqualTo(9);
        assertThat(d.remoteAddress().getPort()).isEqualTo(4);
        d.process();
        assertThat(ResponseParser.parse(req, d.responseCopy()).payload()).containsExactly(2);
        assertThat(r.unregister(9, 91)).isTrue();
        assertThat(r.unregister(9, 91)).isFalse();
        assertThat(core.answer(req.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(6);
        assertThatThrownBy(() -> r.register(16, 0, h1)).hasMessageContaining("0..15");
        assertThatThrownBy(() -> r.register(1, 256, h1)).hasMessageContaining("bytes");
        assertThatThrownBy(() -> r.register(1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void decoderStateMachineRules() {
        RequestDecoder d = core.newDecoder();
        assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_READ_HEADER);
        assertThat(d.bytesWanted()).isEqualTo(17);
        assertThatThrownBy(d::process).isInstanceOf(IllegalStateException.class).hasMessageContaining("PROCESSING");
        assertThatThrownBy(d::responseArray).isInstanceOf(IllegalStateException.class);
        byte[] f = RequestBuilder.command(0, 0, 1).build().frame();
        d.reset(Transport.TCP, null, System.nanoTime());
        d.feed(f, 0, 17);
        assertThat(d.bytesWanted()).isEqualTo(15);
        d.feed(f, 17, 15);
        assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_READ_BODY);
        assertThat(d.bytesWanted()).isEqualTo(18);
        d.feed(f, 32, 18);
        assertThat(d.state()).isEqualTo(RequestDecoder.State.PROCESSING);
        assertThat(d.feed(f, 0, f.length)).as("no reading while processing").isZero();
        // the transport could not run the command (worker queue full): 254
        d.respondWithError(StatusCode.ERROR_MEMORY_ALLOC);
        assertThat(d.state()).isEqualTo(RequestDecoder.State.WANT_WRITE);
        assertThat(d.status()).isEqualTo(254);
        assertThat(d.response().remaining()).isEqualTo(32);
        assertThatThrownBy(() -> d.respondWithError(StatusCode.ERROR_INTERNAL)).isInstanceOf(IllegalStateException.class);
        d.complete();
        assertThat(d.state()).isEqualTo(RequestDecoder.State.DONE);
        assertThat(d.isReading()).isFalse();
        assertThat(d.transport()).isEqualTo(Transport.TCP);
        long start = System.nanoTime();
        d.reset(Transport.UDP, null, start);
        assertThat(d.startNanos()).isEqualTo(start);
        assertThat(d.transport()).isEqualTo(Transport.UDP);
        assertThat(d.bytesReceived()).isZero();
    }

    @Test
    void oversizedUdpRepliesAreRefused() {
        core.registry().register(12, 120, req -> CommandResult.success(new byte[ServerCore.MAX_UDP_REPLY]));
        ClientRequest req = RequestBuilder.command(0, 12, 120).build();
        assertThat(exchange(req, Transport.UDP).status()).as("D-22: tell the client to use TCP").isEqualTo(16);
        RaidaResponse tcp = exchange(req, Transport.TCP);
        assertThat(tcp.status()).isEqualTo(250);
        assertThat(tcp.payload()).hasSize(ServerCore.MAX_UDP_REPLY);
        // exact boundary: header + payload + (HMAC) + terminator = 65 507 bytes still fits one datagram
        for (boolean modern : new boolean[] {false, true}) {
            int fits = ServerCore.MAX_UDP_REPLY - (modern ? 48 + 34 : 32 + 2);
            for (int len : new int[] {fits, fits + 1}) {
                core.registry().register(12, 121, r -> CommandResult.success(new byte[len]));
                RequestBuilder b = RequestBuilder.command(0, 12, 121);
                ClientRequest q = (modern ? b.authenticateWithCoin(0, 1, AN1) : b).build();
                byte[] reply = core.answer(q.frame(), Transport.UDP);
                if (len == fits) {
                    assertThat(reply).hasSize(ServerCore.MAX_UDP_REPLY);
                    assertThat(ResponseParser.parse(q, reply).payload()).hasSize(len);
                } else {
                    assertThat(reply[2] & 0xFF).isEqualTo(16);
                }
            }
        }
    }

    @Test
    void repliesBeyondTheTwentyFourBitSizeFieldAreRefusedNotMislabelled() {
        // type 0: payload + 2 = body; type 4: payload + 32 + 2. One byte more than fits, and the largest that fits.
        int maxPlain = ResponseHeader.MAX_BODY_SIZE - 2;
        core.registry().register(12, 122, req -> CommandResult.success(new byte[maxPlain + 1]));
        ClientRequest tooBig = RequestBuilder.command(0, 12, 122).build();
        byte[] reply = core.answer(tooBig.frame(), Transport.TCP);
        assertThat(reply).as("no body whose size the header cannot state").hasSize(32);
        assertThat(reply[2] & 0xFF).isEqualTo(StatusCode.ERROR_INTERNAL.code());
        assertThat(Bytes.u24(reply, 9)).isZero();
        ClientRequest tooBigModern = RequestBuilder.command(0, 12, 122).authenticateWithCoin(0, 1, AN1).build();
        byte[] modern = core.answer(tooBigModern.frame(), Transport.TCP);
        assertThat(modern).hasSize(48);
        assertThat(modern[2] & 0xFF).isEqualTo(StatusCode.ERROR_INTERNAL.code());
        core.registry().register(12, 123, req -> CommandResult.success(new byte[maxPlain]));
        ClientRequest fits = RequestBuilder.command(0, 12, 123).build();
        byte[] ok = core.answer(fits.frame(), Transport.TCP);
        assertThat(Bytes.u24(ok, 9)).isEqualTo(ResponseHeader.MAX_BODY_SIZE);
        assertThat(ok).hasSize(32 + ResponseHeader.MAX_BODY_SIZE);
        assertThat(ResponseParser.parse(fits, ok).status()).isEqualTo(250);
    }

    @Test
    void aHandlerFailureThatCannotEvenBePrintedIsStillAnswered252() {
        core.registry().register(12, 124, req -> {
            throw new IllegalStateException() {
                @Override
                public String toString() {
                    throw new UnsupportedOperationException("a throwable that cannot be printed");
                }
            };
        });
        for (Transport t : new Transport[] {Transport.TCP, Transport.UDP, Transport.TCP}) {
            ClientRequest req = RequestBuilder.command(0, 12, 124).build();
            assertThat(exchange(req, t).status()).as("first (logged) and later (debug) failures over %s", t)
                    .isEqualTo(StatusCode.ERROR_INTERNAL.code());
        }
        assertThat(core.stats().handlerFailures()).isEqualTo(3);
    }

    @Test
    void aFailureWhoseToStringThrowsAnErrorIsStillAnswered252() {
        core.registry().register(12, 125, req -> {
            throw new IllegalStateException() {
                @Override
                public String toString() {
                    throw new AssertionError("printing this failure fails with an Error");
                }

                @Override
                public String getMessage() {
                    throw new AssertionError("printing this failure fails with an Error");
                }
            };
        });
        for (Transport t : new Transport[] {Transport.TCP, Transport.UDP, Transport.TCP}) {
            ClientRequest req = RequestBuilder.command(0, 12, 125).build();
            assertThat(exchange(req, t).status()).as("answered 252 over %s, nothing escaped process()", t)
                    .isEqualTo(StatusCode.ERROR_INTERNAL.code());
        }
        assertThat(core.stats().handlerFailures()).isEqualTo(3);
    }

    @Test
    void replyNoncesKeepTheLowCounterWordFromWrapping() {
        // D-3 in the server-to-client direction: the reply IV is response bytes 24..39; with the top
        // bit of byte 36 clear, a reply of up to 2^31 blocks cannot carry out of the low 32 bits, so
        // clients with and without carry propagation decrypt it alike
        for (RequestBuilder b : everyType(0, 1).subList(3, 5)) {
            for (int i = 0; i < 200; i++) {
                ClientRequest req = b.build();
                byte[] reply = core.answer(req.frame(), Transport.UDP);
                assertThat(reply[36] & 0x80).as("reply %d to type %d", i, req.encryptionType().code()).isZero();
                assertThat(new String(ResponseParser.parse(req, reply).payload(), StandardCharsets.US_ASCII))
                        .isEqualTo("20250323");
            }
        }
    }

    @Test
    void datagramInterceptors() {
        byte[] vote = new byte[497];
        vote[0] = 7;
        DatagramInterceptor fast = (dg, sender) -> dg.remaining() == 497 && dg.get(dg.position()) == 7
                ? new byte[] {1, 2, 3} : null;
        DatagramInterceptor broken = (dg, sender) -> {
            throw new IllegalStateException("interceptor bug");
        };
        DatagramInterceptor swallow = (dg, sender) -> dg.remaining() == 33 ? DatagramInterceptor.DROP : null;
        core.addDatagramInterceptor(fast).addDatagramInterceptor(swallow);
        assertThat(core.answer(vote, Transport.UDP)).containsExactly(1, 2, 3);
        assertThat(core.interceptDatagram(ByteBuffer.wrap(vote), null)).containsExactly(1, 2, 3);
        assertThat(core.answer(new byte[33], Transport.UDP)).as("consumed silently").isNull();
        byte[] echo = RequestBuilder.command(0, 0, 0).build().frame();
        assertThat(core.answer(echo, Transport.UDP)[2] & 0xFF).as("others decode normally").isEqualTo(250);
        assertThat(core.answer(vote, Transport.TCP)[2] & 0xFF).as("TCP is never intercepted").isEqualTo(255);
        core.removeDatagramInterceptor(fast);
        assertThat(core.answer(vote, Transport.UDP)[2] & 0xFF).isEqualTo(255);
        // issue 21 bug 1: an interceptor that throws makes the datagram's request fail with 252 (not skipped)
        core.removeDatagramInterceptor(swallow).addDatagramInterceptor(broken);
        byte[] failed = core.answer(echo, Transport.UDP);
        assertThat(failed[2] & 0xFF).isEqualTo(252);
        assertThat(failed).hasSize(32);
        assertThat(core.answer(new byte[5], Transport.UDP)).as("too short: still dropped").isNull();
        assertThat(core.answer(echo, Transport.TCP)[2] & 0xFF).as("TCP unaffected").isEqualTo(250);
        assertThat(core.stats().handlerFailures()).as("both UDP datagrams' interceptor failures").isEqualTo(2);
    }

    @Test
    void statsCounters() {
        ServerCore c = ReferenceServer.create(V);
        ServerStats s = c.stats();
        byte[] echo = RequestBuilder.command(0, 0, 0).build().frame();
        for (int i = 0; i < 4; i++) {
            c.answer(echo, Transport.TCP);
        }
        c.answer(echo, Transport.UDP);
        c.answer(new byte[5], Transport.UDP);
        c.answer(RequestBuilder.command(0, 0, 9).build().frame(), Transport.UDP);
        byte[] bad = echo.clone();
        bad[0] = 0;
        c.answer(bad, Transport.TCP);
        assertThat(s.tcpRequests()).isEqualTo(5);
        assertThat(s.udpRequests()).isEqualTo(2);
        assertThat(s.requests()).isEqualTo(7);
        assertThat(s.requestsWithStatus(250)).isEqualTo(5);
        assertThat(s.requestsWithStatus(6)).isEqualTo(1);
        assertThat(s.requestsWithStatus(255)).isEqualTo(1);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.drops()).isEqualTo(1);
        assertThat(s.commandCount(0, 0)).isEqualTo(5);
        long buckets = 0;
        for (int i = 0; i < ServerStats.LATENCY_BUCKETS; i++) {
            buckets += s.latencyBucket(i);
        }
        assertThat(buckets).isEqualTo(7);
        assertThat(s.latencyQuantileMicros(0.99)).isPositive();
        s.recordTimeout();
        s.recordRejectedConnection();
        s.connectionOpened();
        s.connectionOpened();
        s.connectionClosed();
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.rejectedConnections()).isEqualTo(1);
        assertThat(s.activeConnections()).isEqualTo(1);
        assertThat(s.toString()).contains("tcp=5", "udp=2", "errors=2", "drops=1", "timeouts=1");
        assertThat(new ServerStats().latencyQuantileMicros(0.5)).isZero();
    }

    @Test
    void builderAndResultValidation() {
        assertThatThrownBy(() -> ServerCore.builder().raidaId(25)).hasMessageContaining("0..24");
        assertThatThrownBy(() -> ServerCore.builder().coinId(0x10000)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> ServerCore.builder().versionString("2025032")).hasMessageContaining("8 ASCII");
        assertThatThrownBy(() -> ServerCore.builder().versionString("2025032é")).hasMessageContaining("8 ASCII");
        assertThatThrownBy(() -> ServerCore.builder().adminKey(new byte[15])).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> ServerCore.builder().maxBodySize(0x10000)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> new CommandResult(256, null)).hasMessageContaining("0..255");
        assertThat(new CommandResult(250, null).payload()).isEmpty();
        assertThat(CommandResult.success().hasPayload()).isFalse();
        assertThatThrownBy(() -> RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN1).emptyBody().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("D-11");
        assertThatThrownBy(() -> RequestBuilder.command(0, 0, 0).payload(new byte[65_518]).build())
                .hasMessageContaining("at most 65517 payload bytes");
        assertThatThrownBy(() -> RequestBuilder.command(0, 0, 0).payload(new byte[65_502])
                .authenticateWithCoin(0, 1, AN1).build()).hasMessageContaining("at most 65501");
        assertThatThrownBy(() -> RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, new byte[15]))
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> RequestBuilder.command(256, 0, 0)).hasMessageContaining("raida id");
        assertThatThrownBy(() -> RequestBuilder.command(0, 0, 0).echo(0x10000)).hasMessageContaining("two bytes");
        ClientRequest req = RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN1).build();
        assertThat(req.toString()).doesNotContain(Bytes.hex(AN1)).contains("type=1");
    }

    @Test
    void freshRandomnessPerBuild() {
        RequestBuilder b = RequestBuilder.command(0, 0, 0).encryptWithCoin(0, 1, AN1);
        ClientRequest a = b.build();
        ClientRequest c = b.build();
        assertThat(Arrays.copyOfRange(a.frame(), 24, 30)).isNotEqualTo(Arrays.copyOfRange(c.frame(), 24, 30));
        assertThat(a.frame()).isNotEqualTo(c.frame());
        RequestBuilder m = RequestBuilder.command(0, 0, 0).authenticateWithCoin(0, 1, AN1);
        assertThat(Arrays.copyOfRange(m.build().frame(), 24, 48)).isNotEqualTo(Arrays.copyOfRange(m.build().frame(), 24, 48));
        RequestBuilder p = RequestBuilder.command(0, 0, 0);
        assertThat(Arrays.copyOfRange(p.build().frame(), 32, 44)).isNotEqualTo(Arrays.copyOfRange(p.build().frame(), 32, 44));
        // an echo fixed by the caller also fixes nonce bytes 6..7 of types 1/2
        ClientRequest e = RequestBuilder.command(0, 0, 0).echo(0xBEEF).encryptWithCoin(0, 1, AN1).build();
        assertThat(Bytes.u16(e.frame(), 30)).isEqualTo(0xBEEF);
        assertThat(e.echo()).isEqualTo(0xBEEF);
        assertThat(exchange(e, Transport.TCP).isSuccess()).isTrue();
    }

    @Test
    void udpReplyMatching() {
        ClientRequest a = RequestBuilder.command(0, 0, 0).echo(0x1111).build();
        ClientRequest b = RequestBuilder.command(0, 0, 0).echo(0x2222).build();
        byte[] ra = core.answer(a.frame(), Transport.UDP);
        assertThat(a.matches(ra, 0, ra.length)).isTrue();
        assertThat(b.matches(ra, 0, ra.length)).isFalse();
        ClientRequest sameEcho = RequestBuilder.command(0, 0, 0).echo(0x1111).build();
        assertThat(sameEcho.matches(ra, 0, ra.length)).as("different challenge").isFalse();
        ClientRequest t4 = RequestBuilder.command(0, 0, 1).authenticateWithCoin(0, 1, AN1).build();
        byte[] r4 = core.answer(t4.frame(), Transport.UDP);
        assertThat(t4.matches(r4, 0, r4.length)).isTrue();
        assertThat(a.matches(r4, 0, r4.length)).isFalse();
        assertThat(a.matches(ra, 0, 20)).isFalse();
        ClientRequest other = RequestBuilder.command(5, 0, 0).echo(0x1111).build();
        assertThat(other.matches(ra, 0, ra.length)).as("other RAIDA").isFalse();
        ClientRequest zero = RequestBuilder.command(0, 0, 0).echo(0).build();
        byte[] early = core.answer(RequestBuilder.command(0, 0, 77).echo(0).build().frame(), Transport.UDP);
        assertThat(zero.matches(early, 0, early.length)).as("early error: echo 0 and zero signature").isTrue();
    }
}
