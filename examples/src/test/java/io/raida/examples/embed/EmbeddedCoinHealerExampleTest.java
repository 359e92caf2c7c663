package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinCommands;
import io.raida.integrity.HealingCommands;
import io.raida.integrity.InMemoryPageStore;
import io.raida.integrity.PageStore;
import io.raida.integrity.PageStoreKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's healing-client snippet, run against 25 servers with page stores, the coin commands
 * and the healing commands: a coin file fracked on two RAIDA comes back authentic with the new ANs.
 */
class EmbeddedCoinHealerExampleTest {
    private static final int DEN = 1;
    private static final int SN = 7;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void theSnippetHealsAFrackedCoinFile(String transport, @TempDir Path dir) throws Exception {
        RaidaTransportProvider provider = RaidaTransportProvider.named(transport);
        List<AutoCloseable> open = new ArrayList<>();
        try (RaidaClient peerClient = provider.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10))
                .build())) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            List<InMemoryPageStore> stores = new ArrayList<>();
            List<ServerCore> cores = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                InMemoryPageStore store = new InMemoryPageStore();
                byte[] page = new byte[PageStore.PAGE_SIZE];
                new Random(i).nextBytes(page);
                page[SN * 17 + 16] = 40; // issued
                store.writePage(DEN, 0, page);
                stores.add(store);
                ServerCore core = ServerCore.builder().raidaId(i).keyResolver(new PageStoreKeyResolver(store)).build();
                cores.add(core);
                RaidaServer s = provider.newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                        .workerPools(w -> w.workerThreads(2)).timeouts(t -> t.shutdownTimeout(Duration.ofMillis(200)))
                        .build());
                open.add(s);
                s.start();
                addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
            }
            for (int i = 0; i < 25; i++) {
                open.add(CoinCommands.register(cores.get(i), stores.get(i)));
                open.add(HealingCommands.builder().pageStore(stores.get(i)).peers(addresses).client(peerClient)
                        .legTimeout(Duration.ofSeconds(2)).fixTimeout(Duration.ofSeconds(5)).build()
                        .install(cores.get(i)));
            }
            List<byte[]> ans = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                ans.add(an(stores.get(i)));
            }
            Path file = dir.resolve("7.bin");
            CoinFile.of(Coin.of(DEN, SN, ans)).write(file);
            for (int fracked : new int[] {4, 19}) {  // their ANs change behind the client's back
                byte[] page = new byte[PageStore.PAGE_SIZE];
                stores.get(fracked).readPage(DEN, 0, page);
                page[SN * 17] ^= 0x5A;
                stores.get(fracked).writePage(DEN, 0, page);
            }

            List<String> lines = EmbeddedCoinHealerExample.heal(transport, RaidaNetwork.of(addresses), List.of(file));

            assertThat(lines).containsExactlyInAnyOrder("fix at RAIDA 4: [YES]", "fix at RAIDA 19: [YES]",
                    "7 " + "p".repeat(25) + " authentic");
            CoinFile healed = CoinFile.read(file);
            assertThat(healed.hasPans()).isFalse();
            for (int i = 0; i < 25; i++) {
                assertThat(healed.coin().an(i)).as("AN of RAIDA %d", i).isEqualTo(an(stores.get(i)));
            }
            assertThat(healed.coin().an(4)).isNotEqualTo(ans.get(4));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static byte[] an(InMemoryPageStore store) throws IOException {
        byte[] rec = new byte[17];
        assertThat(store.readRecord(DEN, 0, SN, rec, 0)).isTrue();
        return Arrays.copyOf(rec, 16);
    }

    @Test
    void readmeQuotesTheSnippet() throws IOException {
        Path file = Path.of("src/main/java/io/raida/examples/embed/EmbeddedCoinHealerExample.java");
        String snippet = ReadmeSnippetsTest.snippet(Files.readAllLines(file, StandardCharsets.UTF_8), "embed-heal");
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(snippet.lines().count()).isGreaterThan(5);
        assertThat(readme).as("README.md must quote EmbeddedCoinHealerExample.java (embed-heal) as:\n```java\n"
                + snippet + "```").contains("```java\n" + snippet + "```");
    }
}
