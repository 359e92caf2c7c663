package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.examples.DemoCoins;
import io.raida.protocol.client.RaidaStatusException;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's embedding snippets, run: the example client calls the example server's own command. */
class EmbeddedExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void embeddedClientCallsTheEmbeddedServersCommand(String transport) throws Exception {
        DemoCoins.Coin coin = DemoCoins.defaultCoin();
        try (RaidaServer server = EmbeddedServerExample.start(transport, coin.denomination(), coin.serialNumber(),
                coin.an())) {
            InetSocketAddress raida = new InetSocketAddress("127.0.0.1", server.port());
            for (Transport protocol : Transport.values()) {
                assertThat(EmbeddedClientExample.reverse(transport, raida, protocol, coin.denomination(),
                        coin.serialNumber(), coin.an(), "hello, RAIDA")).as(protocol.name()).isEqualTo("ADIAR ,olleh");
            }
            // the other transport's client works against this server too
            String other = transport.equals("nio") ? "netty" : "nio";
            assertThat(EmbeddedClientExample.reverse(other, raida, Transport.TCP, coin.denomination(),
                    coin.serialNumber(), coin.an(), "äbc")).isEqualTo("cbä");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void aCoinTheServerDoesNotKnowIsRefused(String transport) throws Exception {
        DemoCoins.Coin known = DemoCoins.defaultCoin();
        DemoCoins.Coin unknown = DemoCoins.COINS.get(1);
        try (RaidaServer server = EmbeddedServerExample.start(transport, known.denomination(), known.serialNumber(),
                known.an())) {
            InetSocketAddress raida = new InetSocketAddress("127.0.0.1", server.port());
            assertThatThrownBy(() -> EmbeddedClientExample.reverse(transport, raida, Transport.UDP,
                    unknown.denomination(), unknown.serialNumber(), unknown.an(), "x"))
                    .isInstanceOf(RaidaStatusException.class)
                    .hasMessageContaining("ERROR_ENCRYPTION_COIN_NOT_FOUND");
        }
    }
}
