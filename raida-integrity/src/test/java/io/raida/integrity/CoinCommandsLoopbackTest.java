package io.raida.integrity;

import static io.raida.integrity.CoinHarness.DEN;
import static io.raida.integrity.CoinHarness.coin;
import static io.raida.integrity.CoinHarness.concat;
import static io.raida.integrity.CoinHarness.filled;
import static io.raida.integrity.CoinHarness.xor;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.cluster.LockerKey;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Groups 1 and 8 through real sockets on loopback, over a page store on disk, on both transports. */
class CoinCommandsLoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void detectPownAndALockerOverUdpAndTcp(String transport, @TempDir Path dir) throws Exception {
        RaidaTransportProvider p = RaidaTransportProvider.named(transport);
        FilePageStore store = FilePageStore.open(dir);
        CoinHarness.seed(store);
        try (CoinHarness h = new CoinHarness(store);
             RaidaServer server = p.newServer(h.core, ServerOptions.builder().host("127.0.0.1").port(0)
                     .workerPools(w -> w.workerThreads(2)).build()).start();
             RaidaClient client = p.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(5)).build())) {
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", server.port());
            byte[] key = h.an(CoinHarness.KEY_DEN, CoinHarness.KEY_SN);
            byte[] an1 = h.an(DEN, 1);
            ClientRequest detect = RequestBuilder.command(CoinHarness.RAIDA, 1, 10)
                    .payload(concat(coin(DEN, 1), an1, coin(DEN, 2), filled(0)))
                    .authenticateWithCoin(CoinHarness.KEY_DEN, CoinHarness.KEY_SN, key).build();
            RaidaResponse r = client.send(a, detect, Transport.UDP).get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(243);
            assertThat(r.payload()).containsExactly(0x01);

            ClientRequest pown = RequestBuilder.command(CoinHarness.RAIDA, 1, 20)
                    .payload(concat(coin(DEN, 1), an1, filled(0x31)))
                    .encryptWithCoin(CoinHarness.KEY_DEN, CoinHarness.KEY_SN, key).build();
            assertThat(client.send(a, pown, Transport.TCP).get(10, TimeUnit.SECONDS).status()).isEqualTo(241);
            assertThat(h.an(DEN, 1)).isEqualTo(filled(0x31));

            byte[] lk = LockerKey.fromTransmitCode("TCP-0001", CoinHarness.RAIDA).bytes();
            ClientRequest put = RequestBuilder.command(CoinHarness.RAIDA, 8, 82)
                    .payload(concat(coin(DEN, 1), coin(DEN, 2), xor(filled(0x31), h.an(DEN, 2)), lk)).build();
            assertThat(client.send(a, put, Transport.TCP).get(10, TimeUnit.SECONDS).status()).isEqualTo(241);
            ClientRequest peek = RequestBuilder.command(CoinHarness.RAIDA, 8, 83).payload(lk).build();
            r = client.send(a, peek, Transport.UDP).get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(241);
            assertThat(r.payload()).isEqualTo(concat(coin(DEN, 1), coin(DEN, 2)));
        }
    }
}
