package io.raida.legacy;

import static io.raida.legacy.Cc2FramesTest.an;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.raida.protocol.StatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Every way the CC2 back end can fail gives a typed exception with status 48 and an actionable
 * message, within the timeouts, and 1 000 such calls leave no file descriptor open.
 */
class Cc2FailureTest {
    private static final int LOOP = 1_000;
    private static final int ERROR_LEGACY_DB = StatusCode.ERROR_LEGACY_DB.code();

    @TempDir
    Path dir;
    private Cc2Simulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private Cc2Client client(Path path, Duration readTimeout) {
        return Cc2Client.builder().circuitBreaker(Integer.MAX_VALUE, Duration.ofSeconds(1)).raidaId(14).socketPath(path).readTimeout(readTimeout).build();
    }

    private Cc2Client simulatorClient(Cc2Simulator.Behavior b) throws Exception {
        sim = Cc2Simulator.start(dir.resolve("cc2.sock"));
        sim.putCoin(1, an(1)).putCoin(2, an(2)).putCoin(3, an(3));
        sim.behavior(b);
        return client(sim.socketPath(), Duration.ofSeconds(5));
    }

    @Test
    void backEndThatNeverReadsFailsTheWriteInAboutTheWriteTimeout() throws Exception {
        Path path = dir.resolve("deaf.sock");
        // a listener that never accepts: the connection completes in its backlog but nothing is read,
        // so a request larger than the (shrunk) send buffer blocks in write until the write timeout
        try (AFUNIXServerSocket deaf = AFUNIXServerSocket.newInstance()) {
            deaf.bind(AFUNIXSocketAddress.of(path), 4);
            Cc2Client client = Cc2Client.builder().circuitBreaker(Integer.MAX_VALUE, Duration.ofSeconds(1)).socketPath(path).sendBufferSize(4_096)
                    .writeTimeout(Duration.ofMillis(300)).readTimeout(Duration.ofSeconds(30)).build();
            List<Cc2Coin> many = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                many.add(new Cc2Coin(i, an(i)));
            }
            int fds = TestFds.count();
            long t0 = System.nanoTime();
            Cc2TimeoutException e = catchThrowableOfType(Cc2TimeoutException.class, () -> client.detect(many));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("time to give up on a back end that takes no bytes").isBetween(250L, 5_000L);
            assertThat(e.phase()).isEqualTo(Cc2TransportException.Phase.WRITE);
            assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
            assertThat(e).hasMessageContaining(path.toString()).hasMessageContaining("within 300 ms");
            TestFds.assertNoLeak(fds);
        }
    }

    /** Coin 1 passes, 2 fails, 3 passes: a normal back end answers 243. */
    private static final List<Cc2Coin> THREE = List.of(new Cc2Coin(1, an(1)), new Cc2Coin(2, an(99)),
            new Cc2Coin(3, an(3)));

    /** Each misbehaviour, then the same call 1 000 times with the descriptor count checked. */
    enum Failure {
        CLOSE_BEFORE_REPLY(Cc2Simulator.Behavior.CLOSE_BEFORE_REPLY, Cc2TransportException.class,
                "closed the connection after 0 of 12 reply header bytes"),
        SHORT_HEADER(Cc2Simulator.Behavior.SHORT_HEADER, Cc2TransportException.class,
                "after 7 of 12 reply header bytes"),
        CLOSE_MID_REPLY(Cc2Simulator.Behavior.CLOSE_MID_REPLY, Cc2TransportException.class,
                "after 0 of 1 243 bitmap bytes"),
        WRONG_BITMAP_LENGTH(Cc2Simulator.Behavior.WRONG_BITMAP_LENGTH, Cc2ReplyException.class,
                "with 243 and length 14 (bitmap 2 bytes); expected 13"),
        UNKNOWN_STATUS(Cc2Simulator.Behavior.UNKNOWN_STATUS, Cc2ReplyException.class,
                "with status 99, which is none of 241/242/243");

        final Cc2Simulator.Behavior behavior;
        final Class<? extends Cc2Exception> type;
        final String message;

        Failure(Cc2Simulator.Behavior behavior, Class<? extends Cc2Exception> type, String message) {
            this.behavior = behavior;
            this.type = type;
            this.message = message;
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void misbehavingBackEndGives48AndLeaksNothing(Failure f) throws Exception {
        Cc2Client client = simulatorClient(f.behavior);
        Cc2Exception e = catchThrowableOfType(f.type, () -> client.detect(THREE));
        assertThat(e).as("detect against %s", f).isNotNull();
        assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
        assertThat(e.socketPath()).isEqualTo(sim.socketPath());
        assertThat(e).hasMessageContaining(sim.socketPath().toString()).hasMessageContaining(f.message);
        if (e instanceof Cc2TransportException t) {
            assertThat(t.phase()).isEqualTo(Cc2TransportException.Phase.READ);
            assertThat(t.errno()).isEqualTo("EOF");
        }
        loopLeaksNothing(() -> client.detect(THREE), f.type);
    }

    @Test
    void closeMidReplyAfterPartOfALongerBitmap() throws Exception {
        Cc2Client client = simulatorClient(Cc2Simulator.Behavior.CLOSE_MID_REPLY);
        List<Cc2Coin> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(new Cc2Coin(1, an(1)));
        }
        assertThatThrownBy(() -> client.detect(twenty)).isInstanceOf(Cc2TransportException.class)
                .hasMessageContaining("after 2 of 3 243 bitmap bytes");
    }

    @Test
    void unknownStatusOnDeleteAndCustomStatus() throws Exception {
        Cc2Client client = simulatorClient(Cc2Simulator.Behavior.UNKNOWN_STATUS);
        sim.unknownStatus(0);
        Cc2ReplyException e = catchThrowableOfType(Cc2ReplyException.class, () -> client.delete(new long[] {1}, an(1)));
        assertThat(e.cc2Status()).isZero();
        assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
        assertThat(sim.hasCoin(1)).isTrue();
        assertThatThrownBy(() -> sim.unknownStatus(242)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteCutShortGives48() throws Exception {
        Cc2Client client = simulatorClient(Cc2Simulator.Behavior.CLOSE_MID_REPLY);
        assertThatThrownBy(() -> client.delete(new long[] {1}, an(1))).isInstanceOf(Cc2TransportException.class)
                .hasMessageContaining("after 6 of 12 reply header bytes");
        sim.behavior(Cc2Simulator.Behavior.SHORT_HEADER);
        assertThatThrownBy(() -> client.delete(new long[] {1}, an(1))).isInstanceOf(Cc2TransportException.class)
                .hasMessageContaining("after 7 of 12");
    }

    @Test
    void backEndAbsentFailsQuicklyWithEnoent() throws Exception {
        Path missing = dir.resolve("absent.sock");
        Cc2Client client = client(missing, Duration.ofSeconds(6));
        long t0 = System.nanoTime();
        Cc2TransportException e = catchThrowableOfType(Cc2TransportException.class, () -> client.detect(THREE));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("time to fail without a socket file").isLessThan(1_500);
        assertThat(e).isNotInstanceOf(Cc2TimeoutException.class);
        assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
        assertThat(e.phase()).isEqualTo(Cc2TransportException.Phase.CONNECT);
        assertThat(e.errno()).startsWith("ENOENT");
        assertThat(e).hasMessageContaining(missing.toString()).hasMessageContaining("no socket file");
        loopLeaksNothing(() -> client.detect(THREE), Cc2TransportException.class);
        loopLeaksNothing(() -> client.delete(new long[] {1}, an(1)), Cc2TransportException.class);
    }

    @Test
    void fileWithoutListenerIsConnectionRefused() throws Exception {
        Path stale = Files.writeString(dir.resolve("stale.sock"), "not a socket");
        Cc2Client client = client(stale, Duration.ofSeconds(6));
        Cc2TransportException e = catchThrowableOfType(Cc2TransportException.class, () -> client.detect(THREE));
        assertThat(e.errno()).startsWith("ECONNREFUSED");
        assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
        assertThat(e).hasMessageContaining(stale.toString()).hasMessageContaining("nothing listens");
        loopLeaksNothing(() -> client.detect(THREE), Cc2TransportException.class);
    }

    @Test
    void stallFailsInAboutTheReadTimeout() throws Exception {
        simulatorClient(Cc2Simulator.Behavior.STALL);
        Cc2Client client = client(sim.socketPath(), Duration.ofMillis(300));
        long t0 = System.nanoTime();
        Cc2TimeoutException e = catchThrowableOfType(Cc2TimeoutException.class, () -> client.detect(THREE));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("time to give up on a silent back end").isBetween(250L, 3_000L);
        assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
        assertThat(e.phase()).isEqualTo(Cc2TransportException.Phase.READ);
        assertThat(e.errno()).isEqualTo("ETIMEDOUT");
        assertThat(e).hasMessageContaining(sim.socketPath().toString()).hasMessageContaining("300 ms read timeout")
                .hasMessageContaining("0 of 12 reply header bytes");

        t0 = System.nanoTime();
        assertThatThrownBy(() -> client.delete(new long[] {1}, an(1))).isInstanceOf(Cc2TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 3_000L);

        // 1 000 stalled calls, 25 at a time with a 50 ms timeout, leave nothing open on either side
        Cc2Client fast = client(sim.socketPath(), Duration.ofMillis(50));
        int before = TestFds.count();
        ExecutorService pool = Executors.newFixedThreadPool(25);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 25; t++) {
                futures.add(pool.submit(() -> {
                    int timeouts = 0;
                    for (int i = 0; i < LOOP / 25; i++) {
                        try {
                            fast.detect(THREE);
                        } catch (Cc2TimeoutException expected) {
                            timeouts++;
                        }
                    }
                    return timeouts;
                }));
            }
            int timeouts = 0;
            for (Future<Integer> f : futures) {
                timeouts += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(timeouts).isEqualTo(LOOP);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        TestFds.assertNoLeak(before);
        assertThat(sim.openConnections()).isLessThanOrEqualTo(1);
    }

    @Test
    void fullBacklogFailsInAboutTheConnectTimeout() throws Exception {
        Path path = dir.resolve("stuck.sock");
        List<AFUNIXSocket> queued = new ArrayList<>();
        try (AFUNIXServerSocket stuck = AFUNIXServerSocket.newInstance()) {
            stuck.bind(AFUNIXSocketAddress.of(path), 1); // never accepts
            for (int i = 0; i < 16; i++) { // fill the backlog until a connect no longer completes
                AFUNIXSocket s = AFUNIXSocket.newInstance();
                s.setSoTimeout(100);
                try {
                    s.connect(AFUNIXSocketAddress.of(path));
                    queued.add(s);
                } catch (java.io.IOException full) {
                    s.close();
                    break;
                }
            }
            Cc2Client client = Cc2Client.builder().circuitBreaker(Integer.MAX_VALUE, Duration.ofSeconds(1)).socketPath(path).connectTimeout(Duration.ofMillis(300)).build();
            long t0 = System.nanoTime();
            Cc2TimeoutException e = catchThrowableOfType(Cc2TimeoutException.class, () -> client.detect(THREE));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("time to give up connecting").isBetween(250L, 3_000L);
            assertThat(e.phase()).isEqualTo(Cc2TransportException.Phase.CONNECT);
            assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB);
            assertThat(e).hasMessageContaining(path.toString()).hasMessageContaining("300 ms connect timeout");
        } finally {
            for (AFUNIXSocket s : queued) {
                s.close();
            }
        }
    }

    @Test
    void simulatorStoppedMeansAbsent() throws Exception {
        Cc2Client client = simulatorClient(Cc2Simulator.Behavior.NORMAL);
        assertThat(client.detect(THREE).raidaStatus()).isEqualTo(StatusCode.STATUS_MIXED);
        sim.close();
        assertThatThrownBy(() -> client.detect(THREE)).isInstanceOfSatisfying(Cc2TransportException.class,
                e -> assertThat(e.errno()).startsWith("ENOENT"));
    }

    private static void loopLeaksNothing(Runnable call, Class<? extends Cc2Exception> type) throws Exception {
        call(call, type, e -> { }); // warm up lazily opened descriptors
        int before = TestFds.count();
        for (int i = 0; i < LOOP; i++) {
            call(call, type, e -> assertThat(e.raidaStatus()).isEqualTo(ERROR_LEGACY_DB));
        }
        TestFds.assertNoLeak(before);
    }

    private static void call(Runnable call, Class<? extends Cc2Exception> type, Consumer<Cc2Exception> check) {
        try {
            call.run();
        } catch (Cc2Exception e) {
            assertThat(e).isInstanceOf(type);
            check.accept(e);
            return;
        }
        throw new AssertionError("expected " + type.getSimpleName());
    }
}
