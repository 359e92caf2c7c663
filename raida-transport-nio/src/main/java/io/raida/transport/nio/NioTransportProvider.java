package io.raida.transport.nio;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;

/** The {@code "nio"} transport for {@link RaidaTransportProvider#named(String)}. */
public final class NioTransportProvider implements RaidaTransportProvider {

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NioRaidaServer.create(core, options);
    }

    @Override
    public RaidaClient newClient(ClientOptions options) {
        return NioRaidaClient.create(options);
    }
}
