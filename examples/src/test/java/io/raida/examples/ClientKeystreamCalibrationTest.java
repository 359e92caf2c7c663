package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15, item 6: the single-RAIDA {@code client} learns where a server's type 1 reply keystream
 * starts with one version call (auth.md §4), so type 1 works against reference servers on any CPU
 * without {@code --keystream}; the flag still overrides.
 */
class ClientKeystreamCalibrationTest {

    @ParameterizedTest
    @EnumSource(KeystreamMode.class)
    void type1WorksWithoutTheFlagAndTheClientSaysWhatItLearned(KeystreamMode serverMode) throws Exception {
        ServerCore core = ServerCore.builder().raidaId(DemoCoins.RAIDA_ID).coinId(DemoCoins.COIN_ID)
                .keyResolver(DemoCoins.resolver()).legacyReplyKeystream(serverMode).build();
        try (RaidaServer server = RaidaTransportProvider.named("nio")
                .newServer(core, ServerOptions.builder().host("127.0.0.1").port(0).build()).start()) {
            String port = String.valueOf(server.port());
            String word = serverMode.name().toLowerCase(java.util.Locale.ROOT);
            for (String protocol : new String[] {"udp", "tcp"}) {
                DemoTest.Run r = DemoTest.run("client", "--port", port, "--protocol", protocol, "--types", "0,1,4");
                assertThat(r.code()).as(r.out()).isZero();
                assertThat(r.out()).contains("keystream: " + word + " (learned from a type 1 version call over "
                        + protocol + ")", "client: all 6 calls succeeded");
            }
            // the override still decides; the wrong one makes type 1 version fail (not printable)
            String wrong = serverMode == KeystreamMode.CONTINUE ? "restart" : "continue";
            DemoTest.Run forced = DemoTest.run("client", "--port", port, "--types", "1", "--keystream", wrong);
            assertThat(forced.code()).as(forced.out()).isNotZero();
            assertThat(forced.out()).doesNotContain("keystream: ");
            DemoTest.Run typeZero = DemoTest.run("client", "--port", port, "--types", "0");
            assertThat(typeZero.out()).as("no type 1 call, no calibration").doesNotContain("keystream: ");
        }
    }
}
