package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code server} and {@code cc2-simulator} subcommands as real processes: they start, serve, and
 * SIGTERM closes them cleanly through the shutdown hook.
 */
class ServerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1 port (\\d+)");

    @Test
    void sigtermClosesTheServerThroughTheShutdownHook(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", Main.class.getName(), "server", "--port", "0",
                "--transport", "nio", "--threads", "2"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int port = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (port < 0 && System.nanoTime() < deadline && p.isAlive()) {
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(port).as("server log:\n" + Files.readString(log, StandardCharsets.UTF_8)).isPositive();

            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(port), "--types", "0,4");
            assertThat(r.code()).as(r.out()).isZero();

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            // 143 = ended by SIGTERM after the shutdown hooks ran; the log shows the server was closed, not killed
            assertThat(p.exitValue()).as(out).isEqualTo(143);
            // the client made 4 UDP and 4 TCP calls
            assertThat(out).containsPattern("RAIDA 0 closed after \\d+ requests \\([1-9]\\d* UDP, [1-9]\\d* TCP\\)");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code cc2-simulator} as a process behind an in-process {@code server --cc2-socket}; SIGTERM
     * removes the socket file.
     */
    @Test
    void cc2SimulatorProcessAnswersThroughTheServerAndSigtermRemovesItsSocket(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path log = dir.resolve("cc2.log");
        Path socket = dir.resolve("cc2.sock");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "cc2-simulator", "--socket", socket.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("serving until")
                    && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            assertThat(Files.exists(socket)).as("simulator log:\n" + Files.readString(log, StandardCharsets.UTF_8))
                    .isTrue();
            try (ServerCommand.Running server = ServerCommand.start(ServerSettings.parse(List.of("--port", "0",
                    "--threads", "1", "--cc2-socket", socket.toString())))) {
                DemoCoins.Coin c = DemoCoins.SHARD2_COINS.get(0);
                DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(server.port()), "--protocol", "tcp",
                        "--detect-shard2", c.serialNumber() + ":" + c.anHex());
                assertThat(r.code()).as(r.out()).isZero();
                assertThat(r.out()).contains("STATUS_ALL_PASS(241), 1 of 1 coins pass");
            }

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(143);
            assertThat(out).contains("CC2 simulator stopped after 1 requests; socket file removed");
            assertThat(Files.exists(socket)).isFalse();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
