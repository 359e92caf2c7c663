package io.raida.legacy;

import static io.raida.legacy.Cc2FramesTest.an;
import static io.raida.legacy.Cc2FramesTest.wrongAn;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RAIDA X detect (1/10) for shard 2, end to end through the core's in-memory pipeline and a real CC2 socket. */
class Cc2DetectHandlerTest {
    private static final int RAIDA = 14;

    @TempDir
    Path dir;
    private Cc2Simulator sim;
    private ServerCore core;
    private final InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver();

    @BeforeEach
    void start() throws Exception {
        sim = Cc2Simulator.start(dir.resolve("cc2.sock"));
        core = ServerCore.builder().raidaId(RAIDA).keyResolver(keys).build();
        Cc2Client client = Cc2Client.builder().raidaId(RAIDA).socketPath(sim.socketPath())
                .readTimeout(Duration.ofMillis(500)).build();
        new Cc2DetectHandler(client).register(core);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** RAIDA X detect payload: den(1) || SN(4) || AN(16) per coin; coin i uses SN 100+i. */
    private byte[] payload(int n, IntPredicate authentic) {
        byte[] p = new byte[21 * n];
        for (int i = 0; i < n; i++) {
            int sn = 100 + i;
            sim.putCoin(sn, an(sn));
            p[21 * i] = 1;
            Bytes.putU32(p, 21 * i + 1, sn);
            System.arraycopy(authentic.test(i) ? an(sn) : wrongAn(sn), 0, p, 21 * i + 5, 16);
        }
        return p;
    }

    private RaidaResponse detect(int shard, byte[] payload, Transport transport) {
        ClientRequest req = RequestBuilder.command(RAIDA, 1, 10).shard(shard).payload(payload).build();
        byte[] reply = core.answer(req.frame(), transport);
        assertThat(reply).as("the core answers").isNotNull();
        return ResponseParser.parse(req, reply);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 1000})
    void shardTwoIsAnsweredByCc2(int n) {
        RaidaResponse all = detect(2, payload(n, i -> true), Transport.TCP);
        assertThat(all.status()).isEqualTo(StatusCode.STATUS_ALL_PASS.code());
        assertThat(all.payload()).isEmpty();

        RaidaResponse none = detect(2, payload(n, i -> false), Transport.TCP);
        assertThat(none.status()).isEqualTo(StatusCode.STATUS_ALL_FAIL.code());
        assertThat(none.payload()).isEmpty();

        if (n > 1) {
            IntPredicate authentic = i -> i % 3 == 0;
            RaidaResponse mixed = detect(2, payload(n, authentic), Transport.TCP);
            assertThat(mixed.status()).isEqualTo(StatusCode.STATUS_MIXED.code());
            byte[] bitmap = mixed.payload();
            assertThat(bitmap).hasSize((n + 7) / 8);
            for (int i = 0; i < n; i++) {
                assertThat((bitmap[i / 8] >> (i % 8) & 1) == 1).as("coin %d", i).isEqualTo(authentic.test(i));
            }
            if (n % 8 != 0) {
                assertThat(bitmap[n / 8] >>> (n % 8) & 0xFF).as("unused high bits").isZero();
            }
        }
    }

    @Test
    void overUdpToo() {
        RaidaResponse r = detect(2, payload(9, i -> i != 4), Transport.UDP);
        assertThat(r.status()).isEqualTo(StatusCode.STATUS_MIXED.code());
        assertThat(r.payload()).containsExactly((byte) 0xEF, (byte) 0x01);
    }

    @Test
    void typeFourRequestUsesThePayloadLengthTheCoreHandsOver() {
        // D-14: an encrypted type-4 body has no challenge; the handler must not assume 18 bytes of overhead
        byte[] key = an(4242);
        keys.putCoin(1, 4242, key);
        ClientRequest req = RequestBuilder.command(RAIDA, 1, 10).shard(2).payload(payload(3, i -> i != 1))
                .authenticateWithCoin(1, 4242, key).build();
        RaidaResponse r = ResponseParser.parse(req, core.answer(req.frame(), Transport.TCP));
        assertThat(r.status()).isEqualTo(StatusCode.STATUS_MIXED.code());
        assertThat(r.payload()).containsExactly((byte) 0b101);
    }

    @Test
    void backEndDownIs48() {
        byte[] p = payload(3, i -> true);
        sim.close();
        long t0 = System.nanoTime();
        assertThat(detect(2, p, Transport.TCP).status()).isEqualTo(StatusCode.ERROR_LEGACY_DB.code());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void backEndStalledOrBrokenIs48() {
        byte[] p = payload(3, i -> i == 0);
        for (Cc2Simulator.Behavior b : new Cc2Simulator.Behavior[] {Cc2Simulator.Behavior.STALL,
                Cc2Simulator.Behavior.UNKNOWN_STATUS, Cc2Simulator.Behavior.WRONG_BITMAP_LENGTH,
                Cc2Simulator.Behavior.CLOSE_MID_REPLY, Cc2Simulator.Behavior.SHORT_HEADER}) {
            sim.behavior(b);
            assertThat(detect(2, p, Transport.TCP).status()).as("%s", b).isEqualTo(StatusCode.ERROR_LEGACY_DB.code());
        }
    }

    @Test
    void payloadNotAMultipleOf21Is39() {
        assertThat(detect(2, new byte[20], Transport.TCP).status()).isEqualTo(StatusCode.ERROR_COINS_NOT_DIV.code());
        assertThat(detect(2, new byte[43], Transport.TCP).status()).isEqualTo(StatusCode.ERROR_COINS_NOT_DIV.code());
        assertThat(detect(2, new byte[0], Transport.TCP).status()).isEqualTo(StatusCode.ERROR_COINS_NOT_DIV.code());
        ClientRequest empty = RequestBuilder.command(RAIDA, 1, 10).shard(2).emptyBody().build();
        assertThat(ResponseParser.parse(empty, core.answer(empty.frame(), Transport.TCP)).status())
                .isEqualTo(StatusCode.ERROR_COINS_NOT_DIV.code());
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void serialNumbersBeyond24BitsAndBadDenominationsAre40() {
        byte[] p = payload(2, i -> true);
        Bytes.putU32(p, 21 + 1, 1L << 24); // second coin: would alias SN 0 if truncated (D-8)
        assertThat(detect(2, p, Transport.TCP).status()).isEqualTo(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION.code());
        byte[] q = payload(2, i -> true);
        q[0] = 7;
        assertThat(detect(2, q, Transport.TCP).status()).isEqualTo(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION.code());
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void otherShardsWithoutFallbackAre20AndNeverReachCc2() {
        for (int shard : new int[] {0, 1, 3}) {
            assertThat(detect(shard, payload(2, i -> true), Transport.TCP).status())
                    .isEqualTo(StatusCode.ERROR_SHARD_NOT_AVAILABLE.code());
        }
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void otherShardsGoToTheFallback() {
        AtomicInteger shardSeen = new AtomicInteger(-1);
        Cc2Client client = Cc2Client.builder().raidaId(RAIDA).socketPath(sim.socketPath()).build();
        new Cc2DetectHandler(client, r -> {
            shardSeen.set(r.shardId());
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }).register(core);
        assertThat(detect(3, payload(2, i -> true), Transport.TCP).status()).isEqualTo(StatusCode.STATUS_ALL_FAIL.code());
        assertThat(shardSeen.get()).isEqualTo(3);
        assertThat(sim.requestCount()).isZero();
        assertThat(detect(2, payload(2, i -> true), Transport.TCP).status()).isEqualTo(StatusCode.STATUS_ALL_PASS.code());
        assertThat(sim.requestCount()).isEqualTo(1);
    }
}
