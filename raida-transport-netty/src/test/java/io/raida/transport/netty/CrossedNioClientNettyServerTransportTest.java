package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.transport.nio.NioRaidaClient;

/** The shared transport suite over a crossed pair: the NIO client against the Netty server (NIO event loops). */
class CrossedNioClientNettyServerTransportTest extends AbstractTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options.toBuilder().preferNativeTransport(false).build());
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NioRaidaClient.create(options);
    }
}
