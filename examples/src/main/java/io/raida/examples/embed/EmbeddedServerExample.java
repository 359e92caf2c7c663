package io.raida.examples.embed;

import io.raida.examples.DemoCoins;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Embedding a RAIDA server in your own program: a core with its identity, key store and one extra
 * command (group 12, code 1: the payload text reversed), served over TCP and UDP by a transport chosen by name. The README quotes the lines
 * between the tag comments; {@code EmbeddedExamplesTest} runs them.
 */
public final class EmbeddedServerExample {

    private EmbeddedServerExample() {
    }

    /**
     * Starts RAIDA 0 on a free loopback port with one coin as key and the example command.
     *
     * @param transport "nio" or "netty"
     */
    public static RaidaServer start(String transport, int denomination, long serialNumber, byte[] an)
            throws IOException {
        // tag::embed-server[]
        ServerCore core = ServerCore.builder()
                .raidaId(0)                                      // requests must say RAIDA 0
                .coinId(6)
                .keyResolver(new InMemoryCoinKeyResolver().putCoin(denomination, serialNumber, an))
                .build();
        core.registry().register(12, 1, request -> {             // your command: group 12, code 1
            String text = new String(request.payload(), StandardCharsets.UTF_8);  // decrypted, verified
            String reply = new StringBuilder(text).reverse().toString();
            return CommandResult.success(reply.getBytes(StandardCharsets.UTF_8)); // encrypted like the request
        });
        ServerOptions options = ServerOptions.builder().host("127.0.0.1").port(0).build();
        RaidaServer server = RaidaTransportProvider.named(transport)     // "nio" or "netty"
                .newServer(core, options)
                .start();                                        // TCP and UDP on server.port()
        // end::embed-server[]
        return server;
    }

    /** Runs the example server with the first demo coin until Ctrl-C: {@code [nio|netty]}. */
    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "nio";
        DemoCoins.Coin coin = DemoCoins.defaultCoin();
        RaidaServer server = start(transport, coin.denomination(), coin.serialNumber(), coin.an());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // Ctrl-C drains and closes
        System.out.println("RAIDA 0 listening on " + server.localAddress() + " (Ctrl-C stops it)");
        new CountDownLatch(1).await();
    }
}
