package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.cluster.AbstractClusterTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The 25-RAIDA cluster suite over the Netty server and client (native epoll where available). */
class NettyClusterTest extends AbstractClusterTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NettyRaidaClient.create(options);
    }
}
