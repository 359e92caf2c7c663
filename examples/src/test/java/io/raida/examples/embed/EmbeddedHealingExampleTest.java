package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.HealingCommands;
import io.raida.integrity.InMemoryPageStore;
import io.raida.integrity.PageStoreKeyResolver;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's healing snippet is the compiled one, and it installs working handlers. */
class EmbeddedHealingExampleTest {

    @Test
    void readmeQuotesTheSnippet() throws Exception {
        Path file = Path.of("src/main/java/io/raida/examples/embed/EmbeddedHealingExample.java");
        String snippet = ReadmeSnippetsTest.snippet(Files.readAllLines(file, StandardCharsets.UTF_8), "embed-healing");
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(snippet.lines().count()).isGreaterThan(3);
        assertThat(readme).as("README.md must quote the healing snippet as:\n```java\n" + snippet + "```")
                .contains("```java\n" + snippet + "```");
    }

    @Test
    void installsTheFourCommands() {
        InMemoryPageStore store = new InMemoryPageStore();
        ServerCore core = ServerCore.builder().raidaId(3).keyResolver(new PageStoreKeyResolver(store)).build();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            peers.add(i == 3 ? null : new InetSocketAddress("127.0.0.1", 40_000 + i));
        }
        try (HealingCommands healing = EmbeddedHealingExample.install(core, store, peers)) {
            for (int code : new int[]{40, 50, 60, 80}) {
                assertThat(core.registry().lookup(2, code)).as("2/" + code).isNotNull();
            }
            // find of an unissued coin: 208, neither AN nor PAN
            ClientRequest r = RequestBuilder.command(3, 2, 60).payload(new byte[37]).build();
            assertThat(core.answer(r.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(208);
            assertThat(healing.claimAccess().permits(new InetSocketAddress("127.0.0.1", 1))).isTrue();
        }
        assertThat(core.registry().lookup(2, 60)).as("closed: unregistered").isNull();
    }
}
