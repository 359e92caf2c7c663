package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractSocketTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.transport.nio.NioRaidaServer;

/** The whole transport suite over a crossed pair: the Netty client against the NIO server. */
class NettyClientNioServerTransportTest extends AbstractSocketTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NioRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NettyRaidaClient.create(options);
    }
}
