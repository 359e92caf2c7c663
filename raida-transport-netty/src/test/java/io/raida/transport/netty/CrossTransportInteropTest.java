package io.raida.transport.netty;

import static io.raida.protocol.transport.TransportTestSupport.GROUP;
import static io.raida.protocol.transport.TransportTestSupport.RAIDA;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE_INLINE;
import static io.raida.protocol.transport.TransportTestSupport.ofType;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import io.raida.transport.nio.NioRaidaClient;
import io.raida.transport.nio.NioRaidaServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NIO client against the Netty server and the Netty client against the NIO server: every
 * encryption type, both protocols, worker and inline commands, an error reply, and many requests in
 * flight at once.
 */
class CrossTransportInteropTest {

    enum Pairing {
        NIO_CLIENT_NETTY_SERVER, NETTY_CLIENT_NIO_SERVER
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Pairing p : Pairing.values()) {
            for (Transport t : Transport.values()) {
                for (int type : new int[] {0, 1, 2, 4, 5}) {
                    out.add(Arguments.of(p, t, type));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} type {2}")
    @MethodSource("cases")
    void everyEncryptionTypeInterops(Pairing pairing, Transport transport, int type) throws Exception {
        TransportTestSupport fx = TransportTestSupport.create();
        ServerCore core = fx.newCore(4_096);
        ServerOptions so = ServerOptions.builder().host("127.0.0.1").port(0).workerPools(w -> w.workerThreads(2))
                .build();
        ClientOptions co = ClientOptions.builder().timeout(Duration.ofSeconds(10)).build();
        RaidaServer server = pairing == Pairing.NIO_CLIENT_NETTY_SERVER
                ? NettyRaidaServer.create(core, so) : NioRaidaServer.create(core, so);
        try (RaidaServer s = server.start();
             RaidaClient client = pairing == Pairing.NIO_CLIENT_NETTY_SERVER
                     ? NioRaidaClient.create(co) : NettyRaidaClient.create(co)) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", s.port());
            List<CompletableFuture<RaidaResponse>> replies = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] p = randomBytes(1 + i * 53);
                payloads.add(p);
                ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP, i % 2 == 0 ? REVERSE : REVERSE_INLINE),
                        type).payload(p).build();
                replies.add(client.send(to, req, transport));
            }
            for (int i = 0; i < replies.size(); i++) {
                RaidaResponse r = replies.get(i).get(20, TimeUnit.SECONDS);
                assertThat(r.status()).as("request %d", i).isEqualTo(250);
                assertThat(r.payload()).as("request %d", i).isEqualTo(reverse(payloads.get(i)));
                assertThat(r.header().size()).isEqualTo(type >= 4 ? 48 : 32);
            }
            ClientRequest version = ofType(RequestBuilder.command(RAIDA, 0, 1), type).build();
            assertThat(new String(client.send(to, version, transport).get(20, TimeUnit.SECONDS).require().payload(),
                    StandardCharsets.US_ASCII)).isEqualTo("20261121");
            // an unknown command of this type: the error reply crosses over intact (status 6)
            byte[] unknown = ofType(RequestBuilder.command(RAIDA, GROUP, 99), type).payload(randomBytes(5)).build()
                    .frame();
            byte[] reply = client.exchange(to, unknown, transport, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            assertThat(TransportTestSupport.status(reply)).isEqualTo(6);
            assertThat(core.stats().requestsWithStatus(250)).isEqualTo(17);
        }
    }
}
