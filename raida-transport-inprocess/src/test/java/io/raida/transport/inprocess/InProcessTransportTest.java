package io.raida.transport.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import org.junit.jupiter.api.Test;

/** The shared transport suite (every test that needs no raw socket) against the in-process transport. */
class InProcessTransportTest extends AbstractTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return InProcessRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return InProcessRaidaClient.create(options);
    }

    @Test
    void theProviderIsFoundByName() {
        assertThat(RaidaTransportProvider.named("inprocess")).isInstanceOf(InProcessTransportProvider.class);
    }
}
