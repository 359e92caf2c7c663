package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.legacy.Cc2Simulator;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-terminal CC2 example in process: {@code cc2-simulator --socket}, {@code server --cc2-socket}
 * and {@code client --detect-shard2}, over a real Unix socket and a real loopback server.
 */
@Timeout(120)
class Cc2ExampleTest {
    private static final String WRONG_AN = "00000000000000000000000000000001";

    private static String coin(int i) {
        DemoCoins.Coin c = DemoCoins.SHARD2_COINS.get(i);
        return c.serialNumber() + ":" + c.anHex();
    }

    private static final String ALL_DEMO = coin(0) + "," + coin(1) + "," + coin(2);

    @Test
    void shard2DetectIsAnsweredByTheSimulatorThroughTheServer(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("cc2.sock");
        try (Cc2Simulator sim = Cc2SimulatorCommand.start(new Cc2SimulatorCommand.Settings(socket));
             ServerCommand.Running server = ServerCommand.start(ServerSettings.parse(List.of("--port", "0",
                     "--raida-id", "5", "--threads", "2", "--cc2-socket", socket.toString())))) {
            String port = String.valueOf(server.port());

            // all pass, over UDP and TCP
            DemoTest.Run pass = DemoTest.run("client", "--port", port, "--raida-id", "5", "--detect-shard2", ALL_DEMO);
            assertThat(pass.code()).as(pass.out()).isZero();
            assertThat(pass.out().lines().filter(l -> l.contains("STATUS_ALL_PASS(241), 3 of 3 coins pass")))
                    .hasSize(2);
            assertThat(pass.out()).contains("SN 2000001  pass", "SN 16000000  pass", "client: all 2 calls succeeded");
            assertThat(pass.out()).doesNotContain(DemoCoins.SHARD2_COINS.get(0).anHex());

            // mixed: 9 coins, pass at 0, 2 and 8 -> 243 with the LSB-first bitmap 05 01
            List<String> nine = new ArrayList<>(List.of(coin(0), "2000002:" + WRONG_AN, coin(2)));
            for (int sn = 3_000_000; sn < 3_000_005; sn++) {
                nine.add(sn + ":" + DemoCoins.SHARD2_COINS.get(0).anHex()); // unknown to CC2
            }
            nine.add(coin(1));
            DemoTest.Run mixed = DemoTest.run("client", "--port", port, "--raida-id", "5", "--protocol", "tcp",
                    "--detect-shard2", String.join(",", nine));
            assertThat(mixed.code()).as(mixed.out()).isZero();
            assertThat(mixed.out()).contains("STATUS_MIXED(243), 3 of 9 coins pass", "coin 1  SN 2000001  pass",
                    "coin 2  SN 2000002  fail", "coin 3  SN 16000000  pass", "coin 4  SN 3000000  fail",
                    "coin 9  SN 2000002  pass");
            // the same request, its reply bytes checked directly
            ClientSettings cs = ClientSettings.parse(List.of("--port", port, "--raida-id", "5", "--detect-shard2",
                    String.join(",", nine)));
            try (RaidaClient client = RaidaTransportProvider.named("nio").newClient(ClientOptions.defaults())) {
                RaidaResponse r = client.send(new InetSocketAddress("127.0.0.1", server.port()),
                        Shard2Detect.request(cs, EncryptionType.NONE), Transport.UDP).get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(StatusCode.STATUS_MIXED.code());
                assertThat(r.payload()).containsExactly(0x05, 0x01);
            }

            // all fail -> 242 is an answer too (exit 0); encrypted with the demo coin (type 4)
            DemoTest.Run fail = DemoTest.run("client", "--port", port, "--raida-id", "5", "--protocol", "udp",
                    "--types", "4", "--detect-shard2", "2000001:" + WRONG_AN + ",77:" + WRONG_AN);
            assertThat(fail.code()).as(fail.out()).isZero();
            assertThat(fail.out()).contains("detect  type 4", "STATUS_ALL_FAIL(242), 0 of 2 coins pass",
                    "SN 77  fail");
            assertThat(sim.requestCount()).isEqualTo(5);

            // back end gone: 48, and the client exits 1
            sim.close();
            DemoTest.Run down = DemoTest.run("client", "--port", port, "--raida-id", "5", "--protocol", "udp",
                    "--detect-shard2", ALL_DEMO);
            assertThat(down.code()).as(down.out()).isEqualTo(1);
            assertThat(down.out()).contains("ERROR_LEGACY_DB(48) is not a detect result",
                    "client: 1 of 1 calls FAILED");
        }
    }

    @Test
    void withoutCc2SocketTheServerHasNoDetectHandler() throws Exception {
        try (ServerCommand.Running server = ServerCommand.start(ServerSettings.parse(List.of("--port", "0",
                "--threads", "1")))) {
            // TCP: an early error (6) carries echo 0, which a UDP client cannot match to its request
            assertThat(server.server().core().registry().lookup(1, 10)).isNull();
            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(server.port()), "--protocol", "tcp",
                    "--detect-shard2", ALL_DEMO, "--timeout-ms", "2000");
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("ERROR_INVALID_COMMAND(6) is not a detect result");
        }
    }

    @Test
    void simulatorSubcommandServesTheDemoCoinsUntilStoppedAndRemovesItsSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("sim.sock");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Cc2Simulator> started = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cc2SimulatorCommand.run(
                new Cc2SimulatorCommand.Settings(socket), stop, started::complete, out));
        try {
            Cc2Simulator sim = started.get(10, TimeUnit.SECONDS);
            assertThat(sim.coinCount()).isEqualTo(3);
            assertThat(Files.exists(socket)).isTrue();
            // a second simulator on the same path is refused, exit 1
            DemoTest.Run twice = DemoTest.run("cc2-simulator", "--socket", socket.toString());
            assertThat(twice.code()).as(twice.out()).isEqualTo(1);
            assertThat(twice.out()).contains("already exists");
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
        assertThat(Files.exists(socket)).isFalse();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("with 3 demo coins", "SN 2000001", "SN 2000002", "SN 16000000",
                "socket file removed");
        for (DemoCoins.Coin c : DemoCoins.SHARD2_COINS) {
            assertThat(printed).doesNotContain(c.anHex());
        }
    }
}
