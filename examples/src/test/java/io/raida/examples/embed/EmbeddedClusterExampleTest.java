package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's 25-RAIDA snippet, run against 25 example servers (echo only: their group-1
 * handlers live elsewhere, so the RAIDA answer detect with an error and the coin is limbo),
 * and checked to be quoted verbatim by the README.
 */
class EmbeddedClusterExampleTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void theSnippetEchoesAllTwentyFiveAndGradesTheCoinFile(String transport, @TempDir Path dir) throws Exception {
        List<RaidaServer> servers = new ArrayList<>();
        try {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                ServerCore core = ServerCore.builder().raidaId(i).coinId(6).build();
                RaidaServer s = RaidaTransportProvider.named(transport)
                        .newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                        .workerPools(w -> w.workerThreads(1)).build());
                servers.add(s);
                s.start();
                addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
            }
            List<byte[]> ans = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                ans.add(new byte[16]);
            }
            Path file = dir.resolve("1001.bin");
            CoinFile.of(Coin.of(1, 1_001, ans)).write(file);
            List<String> lines = EmbeddedClusterExample.detect(transport, RaidaNetwork.of(addresses), List.of(file));
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).isEqualTo("25 of 25 RAIDA answered the echo");
            // limbo is decided once 13 RAIDA answered with an error; those not yet heard from show n
            assertThat(lines.get(1)).matches("1001 [en]{25} limbo");
            assertThat(lines.get(1).chars().filter(c -> c == 'e').count()).isGreaterThanOrEqualTo(13);
        } finally {
            servers.forEach(RaidaServer::close);
        }
    }

    @Test
    void readmeQuotesTheSnippet() throws IOException {
        Path file = Path.of("src/main/java/io/raida/examples/embed/EmbeddedClusterExample.java");
        String snippet = ReadmeSnippetsTest.snippet(Files.readAllLines(file, StandardCharsets.UTF_8), "embed-cluster");
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(snippet.lines().count()).isGreaterThan(5);
        assertThat(readme).as("README.md must quote EmbeddedClusterExample.java (embed-cluster) as:\n```java\n"
                + snippet + "```").contains("```java\n" + snippet + "```");
    }
}
