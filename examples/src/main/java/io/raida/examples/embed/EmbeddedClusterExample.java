package io.raida.examples.embed;

import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.ProtocolPolicy;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Talking to all 25 RAIDA: echo the network, then detect coins read from coin files (format 9)
 * and print each coin's POWN string and grade. The README quotes the lines between the tag
 * comments; {@code EmbeddedClusterExampleTest} runs them against 25 servers.
 */
public final class EmbeddedClusterExample {

    private EmbeddedClusterExample() {
    }

    /**
     * Echoes all 25 RAIDA and detects the coins in {@code coinFiles}.
     *
     * @param transport "nio" or "netty"
     * @return the echo line, then per coin {@code "SN POWN grade"}
     */
    public static List<String> detect(String transport, RaidaNetwork network, List<Path> coinFiles)
            throws IOException, InterruptedException, ExecutionException {
        List<String> lines = new ArrayList<>();
        // tag::embed-cluster[]
        ClusterOptions options = ClusterOptions.builder()
                .deadline(Duration.ofSeconds(8))                 // the whole fan-out
                .attemptTimeout(Duration.ofSeconds(2))           // one attempt to one RAIDA
                .protocol(ProtocolPolicy.UDP_THEN_TCP)           // TCP after a UDP timeout or for big frames
                .build();
        try (RaidaCluster cluster = RaidaCluster.builder(network) // RaidaNetwork.read(raidaListFile)
                .transport(RaidaTransportProvider.named(transport))   // "nio" or "netty"
                .options(options)
                .build()) {
            ClusterReply echo = cluster.echo().get();
            lines.add(echo.successes() + " of 25 RAIDA answered the echo");
            List<Coin> coins = new ArrayList<>();
            for (Path file : coinFiles) {
                coins.add(CoinFile.read(file).coin());          // format 9: 25 ANs and the POWN string
            }
            BatchResult result = CoinAuthenticator.unencrypted(cluster).detect(coins).get();
            for (CoinResult coin : result.coins()) {             // e.g. "1001 pppppppppppppnppppppppppp authentic"
                lines.add(coin.coin().serialNumber() + " " + coin.pown() + " " + coin.grade().word());
            }
        }
        // end::embed-cluster[]
        return lines;
    }

    /** {@code basePort coinFile...}: 25 RAIDA on 127.0.0.1:basePort+i. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EmbeddedClusterExample BASE_PORT COIN_FILE...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        detect("nio", RaidaNetwork.loopback(Integer.parseInt(args[0])), files).forEach(System.out::println);
    }
}
