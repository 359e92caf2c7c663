package io.raida.it.consumer;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.nio.charset.StandardCharsets;

/**
 * Embeds a RAIDA server with a custom command on each transport and calls it with that
 * transport's client over UDP and TCP (type 4: AES-256 + HMAC). Exits non-zero on any mismatch.
 * The argument names the path the launcher used, and is checked against what the JVM did.
 */
public final class ConsumerMain {
    private static final int DENOMINATION = 1;
    private static final long SERIAL_NUMBER = 1001;
    private static final byte[] AN = new byte[16];

    private ConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        String expected = args.length > 0 ? args[0] : "class-path";
        String actual = ConsumerMain.class.getModule().isNamed() ? "module-path" : "class-path";
        if (!expected.equals(actual)) {
            throw new IllegalStateException("launched for the " + expected + " but running on the " + actual);
        }
        for (int i = 0; i < AN.length; i++) {
            AN[i] = (byte) (0xA0 + i);
        }
        for (String transport : new String[] {"nio", "netty"}) {
            ServerCore core = ServerCore.builder()
                    .raidaId(0)
                    .coinId(6)
                    .keyResolver(new InMemoryCoinKeyResolver().putCoin(DENOMINATION, SERIAL_NUMBER, AN))
                    .build();
            core.registry().register(12, 1, request -> CommandResult.success(
                    new StringBuilder(new String(request.payload(), StandardCharsets.UTF_8)).reverse().toString()
                            .getBytes(StandardCharsets.UTF_8)));
            RaidaTransportProvider provider = RaidaTransportProvider.named(transport);
            try (RaidaServer server = provider.newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                    .build()).start();
                 RaidaClient client = provider.newClient(ClientOptions.defaults())) {
                for (Transport protocol : Transport.values()) {
                    ClientRequest request = RequestBuilder.command(0, 12, 1)
                            .coinId(6)
                            .authenticateWithCoin(DENOMINATION, SERIAL_NUMBER, AN)
                            .payload("consumer".getBytes(StandardCharsets.UTF_8))
                            .build();
                    RaidaResponse response = client.send(server.localAddress(), request, protocol).get().require();
                    String reply = new String(response.payload(), StandardCharsets.UTF_8);
                    if (!"remusnoc".equals(reply)) {
                        throw new IllegalStateException(transport + " over " + protocol + " answered " + reply);
                    }
                    System.out.println("consumer on the " + actual + ": " + transport + " over " + protocol
                            + " -> " + reply + " (" + provider.getClass().getModule() + ")");
                }
            }
        }
        System.out.println("consumer on the " + actual + ": every call succeeded");
    }
}
