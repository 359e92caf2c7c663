package io.raida.transport.inprocess;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;

/** The {@code "inprocess"} transport for {@link RaidaTransportProvider#named(String)}: no sockets. */
public final class InProcessTransportProvider implements RaidaTransportProvider {

    @Override
    public String name() {
        return "inprocess";
    }

    @Override
    public RaidaServer newServer(ServerCore core, ServerOptions options) {
        return InProcessRaidaServer.create(core, options);
    }

    @Override
    public RaidaClient newClient(ClientOptions options) {
        return InProcessRaidaClient.create(options);
    }
}
