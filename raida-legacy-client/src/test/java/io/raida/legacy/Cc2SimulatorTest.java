package io.raida.legacy;

import static io.raida.legacy.Cc2FramesTest.an;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The simulator's own contract: wire answers, refusal of malformed frames, clean shutdown. */
class Cc2SimulatorTest {
    @TempDir
    Path dir;

    private static long simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("cc2-sim-")).count();
    }

    /** Waits up to 5 s for pooled threads of earlier tests to wind down. */
    private static void awaitNoSimulatorThreads() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (simulatorThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(simulatorThreads()).as("cc2-sim-* threads").isZero();
    }

    @Test
    void closeStopsThreadsClosesStalledConnectionsAndRemovesTheSocketFile() throws Exception {
        awaitNoSimulatorThreads();
        Path path = dir.resolve("cc2.sock");
        Cc2Simulator sim = Cc2Simulator.start(path);
        assertThat(Files.exists(path)).isTrue();
        sim.behavior(Cc2Simulator.Behavior.STALL);
        Cc2Client client = Cc2Client.builder().socketPath(path).readTimeout(Duration.ofSeconds(20)).build();
        CompletableFuture<Cc2DetectResult> pending =
                CompletableFuture.supplyAsync(() -> client.detect(List.of(new Cc2Coin(1, an(1)))));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sim.requestCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sim.openConnections()).isEqualTo(1);
        assertThat(simulatorThreads()).isGreaterThanOrEqualTo(2); // acceptor + the stalled connection

        long t0 = System.nanoTime();
        sim.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
        assertThat(Files.exists(path)).as("socket file removed").isFalse();
        assertThat(simulatorThreads()).as("threads after close").isZero();
        assertThat(pending).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(Cc2TransportException.class,
                        e -> assertThat(e.errno()).isEqualTo("EOF"));
        sim.close(); // idempotent
    }

    @Test
    void refusesAnExistingPath() throws Exception {
        Path taken = Files.writeString(dir.resolve("taken.sock"), "x");
        assertThatThrownBy(() -> Cc2Simulator.start(taken)).isInstanceOf(IOException.class)
                .hasMessageContaining("EEXIST").hasMessageContaining(taken.toString());
        assertThat(Files.readString(taken)).isEqualTo("x");
    }

    @Test
    void answersWireExactRepliesAndRefusesMalformedFrames() throws Exception {
        try (Cc2Simulator sim = Cc2Simulator.start(dir.resolve("cc2.sock"))) {
            sim.putCoin(258, Bytes.fromHex("000102030405060708090A0B0C0D0E0F")).putCoin(259, an(259));
            assertThat(sim.coinCount()).isEqualTo(2);
            byte[] detect = Cc2Frames.detectRequest(14, List.of(
                    new Cc2Coin(258, Bytes.fromHex("000102030405060708090A0B0C0D0E0F")), new Cc2Coin(259, an(0))));
            // raida 14, shard 0, 243, group 0, frame count 1, echo 11 11, reserved, length 13, bitmap 01
            assertThat(Bytes.hex(exchange(sim, detect, 13))).isEqualTo("0e00f300000111110000000d01");

            byte[] badCrc = detect.clone();
            badCrc[30] ^= 1;
            assertThat(Bytes.u8(exchange(sim, badCrc, 12), 2)).isEqualTo(StatusCode.ERROR_INVALID_CRC.code());
            byte[] unknownCommand = detect.clone();
            unknownCommand[5] = 0x7F;
            assertThat(Bytes.u8(exchange(sim, unknownCommand, 12), 2)).isEqualTo(StatusCode.ERROR_INVALID_COMMAND.code());

            byte[] delete = Cc2Frames.hashDeleteRequest(14, new long[] {259}, an(259));
            assertThat(Bytes.hex(exchange(sim, delete, 12))).isEqualTo("0e00f1000001111100" + "00000c");
            assertThat(sim.hasCoin(259)).isFalse();
            assertThat(sim.removeCoin(258)).isTrue();
            assertThat(sim.requestCount()).isEqualTo(4);
        }
    }

    /** Sends a raw frame and reads {@code replyLen} bytes, then expects EOF (nothing follows the reply). */
    private static byte[] exchange(Cc2Simulator sim, byte[] frame, int replyLen) throws IOException {
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.connect(AFUNIXSocketAddress.of(sim.socketPath()));
            s.setSoTimeout(5_000);
            s.getOutputStream().write(frame);
            InputStream in = s.getInputStream();
            byte[] r = in.readNBytes(replyLen);
            assertThat(r).hasSize(replyLen);
            assertThat(in.read()).as("end of reply").isEqualTo(-1);
            return r;
        }
    }
}
