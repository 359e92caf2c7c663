package io.raida.transport.nio;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractSocketTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The shared transport suite against the NIO server and client. */
class NioTransportTest extends AbstractSocketTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NioRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NioRaidaClient.create(options);
    }
}
