package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinCommands;
import io.raida.integrity.HealingCommands;
import io.raida.integrity.InMemoryPageStore;
import io.raida.integrity.PageStore;
import io.raida.integrity.PageStoreKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's locker snippets, run against 25 servers with coin and healing commands, and quoted verbatim. */
class EmbeddedLockerExampleTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theSenderPutsTwoCoinFilesAndTheReceiverTakesThem(@TempDir Path dir) throws Exception {
        SecureRandom random = new SecureRandom();
        List<Coin> coins = new ArrayList<>();
        for (long sn : new long[] {501, 502}) {
            List<byte[]> ans = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                byte[] an = new byte[16];
                random.nextBytes(an);
                ans.add(an);
            }
            coins.add(Coin.of(1, sn, ans));
        }
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                InMemoryPageStore store = new InMemoryPageStore();
                byte[] page = new byte[PageStore.PAGE_SIZE];
                for (Coin c : coins) {
                    System.arraycopy(c.an(i), 0, page, (int) c.serialNumber() * 17, 16);
                    page[(int) c.serialNumber() * 17 + 16] = 40;
                }
                store.writePage(1, 0, page);
                CoinCommands cc = CoinCommands.open(store);
                ServerCore core = ServerCore.builder().raidaId(i)
                        .keyResolver(new PageStoreKeyResolver(store, cc.lockerKeys())).build();
                cc.install(core);
                open.add(cc);
                open.add(HealingCommands.register(core, store, List.of(), null));
                RaidaServer s = RaidaTransportProvider.named("nio")
                        .newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                        .workerPools(w -> w.workerThreads(1)).build());
                open.add(0, s);
                s.start();
                addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
            }
            RaidaCluster cluster = RaidaCluster.builder(RaidaNetwork.of(addresses))
                    .transport(RaidaTransportProvider.named("nio"))
                    .options(ClusterOptions.builder().attemptTimeout(Duration.ofSeconds(5))
                            .deadline(Duration.ofSeconds(40)).build()).build();
            open.add(0, cluster);
            Path wallet = Files.createDirectories(dir.resolve("wallet"));
            Path sent = Files.createDirectories(dir.resolve("sent"));
            Path received = Files.createDirectories(dir.resolve("received"));
            List<Path> files = new ArrayList<>();
            for (Coin c : coins) {
                Path f = wallet.resolve(c.serialNumber() + ".bin");
                CoinFile.of(c).write(f);
                files.add(f);
            }

            assertThat(EmbeddedLockerExample.send(cluster, "XYZ-0042", files, sent))
                    .containsExactly("501 in locker on 25 RAIDA", "502 in locker on 25 RAIDA");
            try (var left = Files.list(wallet)) {
                assertThat(left).as("sent coin files leave the wallet").isEmpty();
            }
            assertThat(sent.resolve("501.bin")).exists();

            assertThat(EmbeddedLockerExample.receive(cluster, "XYZ-0042", received)).containsExactly(
                    "501 " + "p".repeat(25) + " authentic", "502 " + "p".repeat(25) + " authentic");
            List<Coin> mine = new ArrayList<>();
            for (long sn : new long[] {501, 502}) {
                CoinFile f = CoinFile.read(received.resolve(sn + ".bin"));
                assertThat(f.hasPans()).isFalse();
                mine.add(f.coin());
            }
            BatchResult detect = CoinAuthenticator.unencrypted(cluster).detect(mine).get(60, TimeUnit.SECONDS);
            assertThat(detect.coins()).allSatisfy(c -> assertThat(c.grade()).isEqualTo(Grade.AUTHENTIC));
            assertThat(EmbeddedLockerExample.receive(cluster, "XYZ-0042", received))
                    .containsExactly("the locker is empty");
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void readmeQuotesTheSnippets() throws IOException {
        Path file = Path.of("src/main/java/io/raida/examples/embed/EmbeddedLockerExample.java");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (String tag : List.of("embed-locker-send", "embed-locker-receive")) {
            String snippet = ReadmeSnippetsTest.snippet(lines, tag);
            assertThat(snippet.lines().count()).isGreaterThan(10);
            assertThat(readme).as("README.md must quote EmbeddedLockerExample.java (" + tag + ") as:\n```java\n"
                    + snippet + "```").contains("```java\n" + snippet + "```");
        }
    }
}
