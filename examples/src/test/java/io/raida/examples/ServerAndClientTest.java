package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.transport.RaidaServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code server} subcommand serving the {@code client} subcommand, in process. */
class ServerAndClientTest {

    @Test
    void clientSucceedsAgainstTheServerSubcommandAndTheServerClosesWhenStopped() throws Exception {
        ServerSettings s = ServerSettings.parse(List.of("--transport", "netty", "--port", "0", "--raida-id", "3",
                "--version-string", "EXAMPLE1", "--threads", "2"));
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ServerCommand.run(s, stop,
                started::complete));
        RaidaServer server = started.get(10, TimeUnit.SECONDS).server();
        try {
            assertThat(server.isRunning()).isTrue();
            DemoTest.Run ok = DemoTest.run("client", "--port", String.valueOf(server.port()), "--raida-id", "3");
            assertThat(ok.code()).as(ok.out()).isZero();
            assertThat(ok.out()).contains("\"EXAMPLE1\"", "client: all 12 calls succeeded");

            DemoTest.Run nio = DemoTest.run("client", "--transport", "nio", "--port", String.valueOf(server.port()),
                    "--raida-id", "3", "--protocol", "tcp", "--types", "1");
            assertThat(nio.code()).as(nio.out()).isZero();
            assertThat(nio.out()).contains("client: all 2 calls succeeded");
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void clientExitsWith1WhenACallFails() throws Exception {
        ServerSettings s = ServerSettings.parse(List.of("--port", "0"));
        try (ServerCommand.Running server = ServerCommand.start(s)) {
            // a coin the server does not know: type 0 works, types 1 and 4 are refused
            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(server.port()), "--protocol", "udp",
                    "--denomination", "2", "--serial-number", "77", "--an", "00112233445566778899aabbccddeeff",
                    "--timeout-ms", "2000");
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            assertThat(r.out().lines().filter(l -> l.contains("type 0") && l.contains(" ok "))).hasSize(2);
            assertThat(r.out().lines().filter(l -> l.contains("type 1") && l.contains("FAIL"))).hasSize(2);
            assertThat(r.out().lines().filter(l -> l.contains("type 4") && l.contains("FAIL"))).hasSize(2);
            assertThat(r.out()).contains("client: 4 of 6 calls FAILED");
        }
    }

    @Test
    void clientExitsWith1WhenNobodyAnswers() throws Exception {
        int port;
        try (ServerCommand.Running server = ServerCommand.start(ServerSettings.parse(List.of("--port", "0")))) {
            port = server.port();
        }
        DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(port), "--types", "0", "--timeout-ms", "300");
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("client: 4 of 4 calls FAILED");
    }
}
