package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.RequestBuilder;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

    /** {@code server --port 0} in a child JVM on this class path, its output in {@code log}. */
    private static Process startServer(Path log, String transport, String threads) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", Main.class.getName(), "server", "--port", "0",
                "--transport", transport, "--threads", threads))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The port the server's log says it listens on, within 20 s. */
    private static int awaitPort(Process p, Path log) throws Exception {
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
        return port;
    }

    @Test
    void sigtermClosesTheServerThroughTheShutdownHook(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Process p = startServer(log, "nio", "2");
        try {
            int port = awaitPort(p, log);

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

    /**
     * Issue 10: a fatal error in the transport's I/O loop ends the process with status 70 (EX_SOFTWARE)
     * so a supervisor restarts it, after the failure is logged and the port released. The child JVM
     * runs {@code server --transport failing-io} ({@link FailingIoTransportProvider}, on the test class
     * path): the NIO transport whose I/O thread gets an {@link InternalError} from one request.
     */
    @Test
    void aFatalTransportFailureEndsTheProcessWithStatus70AndReleasesThePort(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Process p = startServer(log, FailingIoTransportProvider.NAME, "1");
        try {
            int port = awaitPort(p, log);
            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(port), "--types", "0");
            assertThat(r.code()).as("serving before the failure: " + r.out()).isZero();

            byte[] fatal = RequestBuilder.command(0, FailingIoTransportProvider.GROUP,
                    FailingIoTransportProvider.CODE).build().frame();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(fatal);
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).as("the connection ends without a reply").isEqualTo(-1);
            }

            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(ServerCommand.EXIT_FAILED);
            assertThat(out).contains("NIO server on port " + port + " failed; closing its sockets")
                    .contains("simulated fatal error on an I/O thread")
                    .containsPattern("RAIDA 0 server failed \\(java.lang.InternalError: .*\\); exiting with status 70");
            InetAddress lo = InetAddress.getLoopbackAddress();
            try (ServerSocket tcp = new ServerSocket();
                    DatagramSocket udp = new DatagramSocket(null)) {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(lo, port));
                udp.bind(new InetSocketAddress(lo, port));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
