package io.raida.examples.embed;

import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinHealer;
import io.raida.protocol.cluster.FixResult;
import io.raida.protocol.cluster.GradingPolicy;
import io.raida.protocol.cluster.HealListener;
import io.raida.protocol.cluster.HealResult;
import io.raida.protocol.cluster.HealedCoin;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Healing coins over the 25 RAIDA: read coin files, heal them (find for coins in limbo, tickets,
 * fix, re-grade) and write each file back once its result is decided. The README quotes the lines
 * between the tag comments; {@code EmbeddedCoinHealerExampleTest} runs them against 25 servers.
 */
public final class EmbeddedCoinHealerExample {

    private EmbeddedCoinHealerExample() {
    }

    /**
     * Heals the coins in {@code coinFiles} and rewrites the files.
     *
     * @param transport "nio" or "netty"
     * @return per fix {@code "fix at RAIDA i: ..."}, then per coin {@code "SN POWN grade"}
     */
    public static List<String> heal(String transport, RaidaNetwork network, List<Path> coinFiles)
            throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        // tag::embed-heal[]
        try (RaidaCluster cluster = RaidaCluster.builder(network)
                .transport(RaidaTransportProvider.named(transport))    // "nio" or "netty"
                .build()) {
            List<CoinFile> files = new ArrayList<>();
            for (Path file : coinFiles) {
                files.add(CoinFile.read(file));                  // PANs in a file mark a coin in limbo
            }
            CoinHealer healer = CoinHealer.unencrypted(cluster)  // or keyedWith(cluster, KeyCoin.type4(key))
                    .withPolicy(GradingPolicy.standard())        // auth.md §3; GradingPolicy.minPasses(16)
                    .withFixTimeout(Duration.ofSeconds(100))     // a fix waits on the fixing RAIDA's peers
                    .withMaxRounds(3)
                    .withListener(new HealListener() {
                        @Override
                        public void fixed(int round, FixResult fix) {
                            lines.add("fix at RAIDA " + fix.raidaId() + ": " + fix.fixed());
                        }
                    });
            HealResult result = healer.healFiles(files);         // blocks; one round per ticket set
            for (int i = 0; i < coinFiles.size(); i++) {
                HealedCoin coin = result.coins().get(i);
                coin.toCoinFile().write(coinFiles.get(i));       // new ANs (PANs kept while unresolved)
                lines.add(coin.coin().serialNumber() + " " + coin.coin().pown() + " " + coin.grade().word());
            }
        }
        // end::embed-heal[]
        return lines;
    }

    /** {@code basePort coinFile...}: 25 RAIDA on 127.0.0.1:basePort+i. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EmbeddedCoinHealerExample BASE_PORT COIN_FILE...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        heal("nio", RaidaNetwork.loopback(Integer.parseInt(args[0])), files).forEach(System.out::println);
    }
}
