package io.raida.transport.nio;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractReferenceInteropTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The NIO client against the reference server's wire behaviour (and the NIO server). */
class NioReferenceInteropTest extends AbstractReferenceInteropTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NioRaidaServer.create(core, options);
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        return NioRaidaClient.create(options);
    }
}
