package io.raida.examples.security;

import io.raida.legacy.Cc2Client;
import io.raida.legacy.Cc2Coin;
import io.raida.legacy.Cc2Exception;
import io.raida.legacy.Cc2Simulator;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Run in a child JVM at TRACE by {@link SecretsNeverLoggedTest}: every transport and protocol,
 * every encryption type, right and wrong keys, show_stats with the right and a wrong admin key, a
 * locker key, the CC2 back end. Prints the secrets it used (one hex string a line after
 * {@code SECRETS:}) so the test can look for them in everything the process printed.
 */
public final class SecretTraffic {
    private SecretTraffic() {
    }

    static byte[] secret(int seed) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (0xA0 + seed * 7 + i * 13);
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        byte[] an1 = secret(1);
        byte[] an2 = secret(2);
        byte[] wrongAn = secret(3);
        byte[] admin = secret(4);
        byte[] wrongAdmin = secret(5);
        byte[] locker = secret(6);
        for (int i = 12; i < 16; i++) {
            locker[i] = (byte) 0xFF;
        }
        List<byte[]> secrets = List.of(an1, an2, wrongAn, admin, wrongAdmin, locker);
        List<String> failures = new ArrayList<>();
        for (String transport : List.of("nio", "netty")) {
            ServerCore core = ServerCore.builder().raidaId(0).adminKey(admin)
                    .keyResolver(new InMemoryCoinKeyResolver().putCoin(1, 100, an1).putCoin(1, 101, an2)
                            .putLocker(locker))
                    .build();
            core.registry().register(12, 1, r -> CommandResult.success(r.payload()));
            try (RaidaServer server = RaidaTransportProvider.named(transport)
                    .newServer(core, ServerOptions.builder().host("127.0.0.1").port(0).build()).start();
                 RaidaClient client = RaidaTransportProvider.named(transport).newClient(ClientOptions.defaults())) {
                for (Transport t : Transport.values()) {
                    List<ClientRequest> requests = List.of(
                            RequestBuilder.command(0, 12, 1).payload(an1).build(),
                            RequestBuilder.command(0, 12, 1).encryptWithCoin(1, 100, an1).payload(an2).build(),
                            RequestBuilder.command(0, 12, 1).encryptWithLocker(locker).payload(an1).build(),
                            RequestBuilder.command(0, 12, 1).authenticateWithCoin(1, 100, an1).payload(an2).build(),
                            RequestBuilder.command(0, 12, 1).authenticateWithCoins(1, 100, an1, 1, 101, an2)
                                    .payload(an1).build(),
                            RequestBuilder.command(0, 12, 1).encryptWithCoin(1, 100, wrongAn).payload(an1).build(),
                            RequestBuilder.command(0, 12, 1).authenticateWithCoin(1, 100, wrongAn).payload(an1).build(),
                            RequestBuilder.command(0, 0, 2).payload(admin).build(),
                            RequestBuilder.command(0, 0, 2).payload(wrongAdmin).build());
                    for (ClientRequest r : requests) {
                        CompletableFuture<?> f = client.send(server.localAddress(), r, t, Duration.ofSeconds(2));
                        try {
                            f.get();
                        } catch (Exception e) {
                            System.out.println("call failed (expected for wrong keys): " + e);
                        }
                    }
                }
            } catch (Exception e) {
                failures.add(transport + ": " + e);
            }
        }
        Path dir = Files.createTempDirectory("secret-scan");
        try (Cc2Simulator sim = Cc2Simulator.start(dir.resolve("cc2.sock"))) {
            sim.putCoin(100, an1);
            Cc2Client cc2 = Cc2Client.builder().socketPath(sim.socketPath()).build();
            cc2.detect(List.of(new Cc2Coin(100, an1), new Cc2Coin(101, an2)));
            try {
                cc2.delete(new long[] {100}, wrongAn);
            } catch (Cc2Exception e) {
                System.out.println("cc2 delete failed: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("cc2.sock"));
            Files.deleteIfExists(dir);
        }
        System.out.println("SECRETS:");
        for (byte[] s : secrets) {
            System.out.println(HexFormat.of().formatHex(s));
        }
        System.out.println(failures.isEmpty() ? "TRAFFIC DONE" : "TRAFFIC FAILED " + failures);
    }
}
