package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.transport.nio.NioRaidaServer;

/** The shared transport suite over a crossed pair: the Netty client (NIO event loops) against the NIO server. */
class CrossedNettyClientNioServerTransportTest extends AbstractTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NioRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NettyRaidaClient.create(NettyTransportTests.withNative(options, false));
    }
}
