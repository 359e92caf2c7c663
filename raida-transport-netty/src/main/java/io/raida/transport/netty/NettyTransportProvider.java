package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;

/** The "netty" transport for {@link RaidaTransportProvider#named(String)}. */
public final class NettyTransportProvider implements RaidaTransportProvider {

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options);
    }

    @Override
    public RaidaClient newClient(ClientOptions options) {
        return NettyRaidaClient.create(options);
    }
}
