package io.raida.legacy;

import static io.raida.legacy.Cc2FramesTest.an;
import static io.raida.legacy.Cc2FramesTest.wrongAn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.StatusCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Detect and hash delete over a real Unix socket against {@link Cc2Simulator}. */
class Cc2ClientTest {
    @TempDir
    Path dir;
    private Cc2Simulator sim;
    private Cc2Client client;

    @BeforeEach
    void start() throws Exception {
        sim = Cc2Simulator.start(dir.resolve("cc2.sock"));
        client = Cc2Client.builder().raidaId(14).socketPath(sim.socketPath()).readTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Coins 1000+i; coin i is stored (authentic) iff {@code authentic.test(i)}, else asked with a wrong AN. */
    private List<Cc2Coin> coins(int n, IntPredicate authentic) {
        List<Cc2Coin> coins = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long sn = 1000 + i;
            sim.putCoin(sn, an((int) sn));
            coins.add(new Cc2Coin(sn, authentic.test(i) ? an((int) sn) : wrongAn((int) sn)));
        }
        return coins;
    }

    private void assertResult(Cc2DetectResult r, int n, IntPredicate authentic, StatusCode status) {
        assertThat(r.coinCount()).isEqualTo(n);
        assertThat(r.raidaStatus()).isEqualTo(status);
        for (int i = 0; i < n; i++) {
            assertThat(r.passed(i)).as("coin %d", i).isEqualTo(authentic.test(i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 1000})
    void allPass(int n) {
        assertResult(client.detect(coins(n, i -> true)), n, i -> true, StatusCode.STATUS_ALL_PASS);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 1000})
    void allFail(int n) {
        assertResult(client.detect(coins(n, i -> false)), n, i -> false, StatusCode.STATUS_ALL_FAIL);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 9, 1000, 2976})
    void mixedCarriesTheLsbFirstBitmap(int n) {
        // 1000 coins: length 12 + 125 = 0x89; 2976 coins: 12 + 372 = 0x0180 (D-7: both need unsigned 24-bit reading)
        IntPredicate authentic = i -> i % 3 != 1;
        Cc2DetectResult r = client.detect(coins(n, authentic));
        assertResult(r, n, authentic, StatusCode.STATUS_MIXED);
        assertThat(r.bitmap()).hasSize((n + 7) / 8);
        // coins 0..7 pass, fail, pass, pass, fail, pass, pass, fail: LSB first = 0110 1101
        assertThat(r.bitmap()[0]).isEqualTo((byte) (n >= 8 ? 0x6D : 0x6D & 0x7F));
    }

    @Test
    void mixedWithOneCoinIsDecidedFromTheBitmap() {
        // 243 from CC2 is read, then 241/242/243 follow from the counts (legacy-cc2.md §4.2)
        sim.behavior(Cc2Simulator.Behavior.ALWAYS_MIXED);
        assertResult(client.detect(coins(1, i -> true)), 1, i -> true, StatusCode.STATUS_ALL_PASS);
        assertResult(client.detect(coins(1, i -> false)), 1, i -> false, StatusCode.STATUS_ALL_FAIL);
        for (int n : new int[] {7, 8, 9, 1000}) {
            assertResult(client.detect(coins(n, i -> true)), n, i -> true, StatusCode.STATUS_ALL_PASS);
            assertResult(client.detect(coins(n, i -> false)), n, i -> false, StatusCode.STATUS_ALL_FAIL);
            IntPredicate odd = i -> (i & 1) == 1;
            assertResult(client.detect(coins(n, odd)), n, odd, n == 1 ? StatusCode.STATUS_ALL_FAIL : StatusCode.STATUS_MIXED);
        }
    }

    @Test
    void unknownCoinsFail() {
        Cc2DetectResult r = client.detect(List.of(new Cc2Coin(77, an(77)), new Cc2Coin(Cc2Coin.MAX_SN, an(1))));
        assertThat(r.raidaStatus()).isEqualTo(StatusCode.STATUS_ALL_FAIL);
    }

    @Test
    void deleteSuccessRemovesTheCoins() {
        byte[] owner = an(500);
        sim.putCoin(5, owner).putCoin(6, owner);
        assertThat(client.delete(new long[] {5, 6}, owner)).isEqualTo(Cc2DeleteResult.SUCCESS);
        assertThat(Cc2DeleteResult.SUCCESS.raidaStatus()).isEqualTo(StatusCode.STATUS_SUCCESS);
        assertThat(sim.hasCoin(5)).isFalse();
        assertThat(sim.hasCoin(6)).isFalse();
    }

    @Test
    void deleteMixed() {
        byte[] owner = an(500);
        sim.putCoin(7, owner).putCoin(8, an(8));
        assertThat(client.delete(new long[] {7, 8}, owner)).isEqualTo(Cc2DeleteResult.MIXED);
        assertThat(Cc2DeleteResult.MIXED.raidaStatus()).isEqualTo(StatusCode.STATUS_MIXED);
        assertThat(sim.hasCoin(7)).isFalse();
        assertThat(sim.hasCoin(8)).isTrue();
    }

    @Test
    void deleteAllFail() {
        sim.putCoin(9, an(9));
        assertThat(client.delete(new long[] {9, 10}, an(500))).isEqualTo(Cc2DeleteResult.ALL_FAILED);
        assertThat(Cc2DeleteResult.ALL_FAILED.raidaStatus()).isEqualTo(StatusCode.STATUS_ALL_FAIL);
        assertThat(sim.hasCoin(9)).isTrue();
    }

    @Test
    void invalidRequestsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.detect(List.of())).isInstanceOf(Cc2RequestException.class);
        assertThatThrownBy(() -> client.delete(new long[] {1L << 24}, an(1))).isInstanceOf(Cc2RequestException.class);
        assertThatThrownBy(() -> client.delete(new long[] {1}, new byte[8])).isInstanceOf(Cc2RequestException.class);
        List<Cc2Coin> tooMany = java.util.Collections.nCopies(Cc2Client.MAX_DETECT_COINS + 1, new Cc2Coin(1, an(1)));
        assertThatThrownBy(() -> client.detect(tooMany)).isInstanceOf(Cc2RequestException.class);
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void builderDefaultsAndValidation() {
        Cc2Client d = Cc2Client.builder().build();
        assertThat(d.socketPath()).isEqualTo(Path.of("/opt/superraida/unix.sock"));
        assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(d.writeTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Cc2Client.builder().readTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cc2Client.builder().raidaId(25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cc2Client.builder().socketPath(dir.resolve("x".repeat(200))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unix socket address");
    }

    @Test
    void thirtyTwoThreadsTimesTwoHundredConcurrentDetects() throws Exception {
        int coinsPerCall = 10;
        for (int sn = 1; sn <= 640; sn++) {
            sim.putCoin(sn, an(sn));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (int call = 0; call < 200; call++) {
                        int pattern = thread * 200 + call; // a different pass/fail pattern per call
                        List<Cc2Coin> req = new ArrayList<>(coinsPerCall);
                        for (int i = 0; i < coinsPerCall; i++) {
                            long sn = 1 + (thread * 20 + i) % 640;
                            boolean good = (pattern >>> i & 1) == 1;
                            req.add(new Cc2Coin(sn, good ? an((int) sn) : wrongAn((int) sn)));
                        }
                        Cc2DetectResult r = client.detect(req);
                        for (int i = 0; i < coinsPerCall; i++) {
                            assertThat(r.passed(i)).isEqualTo((pattern >>> i & 1) == 1);
                        }
                        int bits = Integer.bitCount(pattern & 0x3FF);
                        assertThat(r.raidaStatus()).isEqualTo(bits == coinsPerCall ? StatusCode.STATUS_ALL_PASS
                                : bits == 0 ? StatusCode.STATUS_ALL_FAIL : StatusCode.STATUS_MIXED);
                        ok++;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(32 * 200);
            assertThat(sim.requestCount()).isEqualTo(32 * 200);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
