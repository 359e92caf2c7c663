package io.raida.examples;

import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code demo} subcommand, the README's main job: starts the embedded default server on a free
 * loopback port, runs the client's calls (echo and version under types 0, 1 and 4) against it over
 * UDP and TCP, prints each, and succeeds only if every call did.
 */
final class DemoCommand {
    /**
     * @param serverTransports the server transports to run one after the other
     * @param clientTransport  the client transport, or null to use the server's
     */
    record Settings(List<String> serverTransports, String clientTransport, String protocol, String types,
                    Duration timeout) {
    }

    private DemoCommand() {
    }

    /** The settings of {@code demo} with these option words. */
    static Settings parse(List<String> words) throws UsageException {
        DemoCli d = new DemoCli(Cli.wordsOnly());
        Main.parseOnly(d, words);
        return d.settings();
    }

    /** Runs the demo; true if every call succeeded. */
    static boolean run(Settings d, PrintStream out) throws UsageException {
        List<CallResult> all = new ArrayList<>();
        for (String serverTransport : d.serverTransports()) {
            String clientTransport = d.clientTransport() == null ? serverTransport : d.clientTransport();
            ServerSettings ss = ServerSettings.demo(serverTransport, "127.0.0.1", 0);
            ServerCommand.Running server;
            RaidaTransportProvider clientProvider;
            try {
                clientProvider = RaidaTransportProvider.named(clientTransport);
                server = ServerCommand.start(ss);
            } catch (IOException | RuntimeException e) {
                out.printf("%s server / %s client did not start: %s%n", serverTransport, clientTransport,
                        e.getMessage());
                all.add(null);
                continue;
            }
            try (server; RaidaClient client = clientProvider
                    .newClient(ClientOptions.builder().timeout(d.timeout()).build())) {
                ClientSettings cs = new ClientSettings(clientTransport, "127.0.0.1", server.port(), DemoCoins.RAIDA_ID,
                        DemoCoins.COIN_ID, ClientSettings.protocols(d.protocol()), ClientSettings.calls(d.types()),
                        DemoCoins.defaultCoin(), KeystreamMode.CONTINUE, d.timeout(), List.of());
                out.printf("%s server: RAIDA %d, coin id %d, 127.0.0.1:%d (TCP and UDP); %s client, key %s%n",
                        serverTransport, DemoCoins.RAIDA_ID, DemoCoins.COIN_ID, server.port(), clientTransport,
                        cs.coin());
                List<CallResult> results = CallRunner.run(client, new InetSocketAddress("127.0.0.1", server.port()),
                        cs, out);
                CallRunner.summarize(serverTransport + " server / " + clientTransport + " client", results, out);
                all.addAll(results);
            }
        }
        boolean ok = !all.contains(null) && all.stream().allMatch(CallResult::ok);
        out.println(ok ? "demo: every call succeeded" : "demo: FAILED");
        return ok;
    }
}
