package io.raida.examples.embed;

import io.raida.examples.DemoCoins;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Embedding the client: build a request (fresh challenge and nonce), send it over TCP or UDP,
 * get the verified and decrypted reply. The README quotes the lines between the tag comments;
 * {@code EmbeddedExamplesTest} runs them against {@link EmbeddedServerExample}.
 */
public final class EmbeddedClientExample {

    private EmbeddedClientExample() {
    }

    /**
     * Calls the example command of {@link EmbeddedServerExample} with a type 4 (AES-256 + HMAC)
     * request and returns the reversed text.
     */
    public static String reverse(String transport, InetSocketAddress raida, Transport protocol, int denomination,
                                 long serialNumber, byte[] an, String text)
            throws InterruptedException, ExecutionException {
        // tag::embed-client[]
        try (RaidaClient client = RaidaTransportProvider.named(transport)   // "nio" or "netty"
                .newClient(ClientOptions.defaults())) {
            ClientRequest request = RequestBuilder.command(0, 12, 1)        // RAIDA 0, group 12, code 1
                    .coinId(6)
                    .authenticateWithCoin(denomination, serialNumber, an)   // type 4: AES-256-CTR + HMAC
                    .payload(text.getBytes(StandardCharsets.UTF_8))
                    .build();
            RaidaResponse response = client.send(raida, request, protocol)  // Transport.UDP or TCP
                    .get()                                                  // or compose the future
                    .require();                                             // throws unless status 250
            return new String(response.payload(), StandardCharsets.UTF_8);
        }
        // end::embed-client[]
    }

    /** {@code host port [text]}: calls a running {@link EmbeddedServerExample} over UDP and TCP. */
    public static void main(String[] args) throws Exception {
        InetSocketAddress raida = new InetSocketAddress(args.length > 0 ? args[0] : "127.0.0.1",
                args.length > 1 ? Integer.parseInt(args[1]) : 50_000);
        String text = args.length > 2 ? args[2] : "hello, RAIDA";
        DemoCoins.Coin coin = DemoCoins.defaultCoin();
        for (Transport protocol : Transport.values()) {
            System.out.println(protocol + ": "
                    + reverse("nio", raida, protocol, coin.denomination(), coin.serialNumber(), coin.an(), text));
        }
    }
}
