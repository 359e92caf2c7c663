package io.raida.transport.netty;


import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractReferenceInteropTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The Netty client (NIO event loops) against the reference server's wire behaviour (and the Netty server). */
class NettyNioReferenceInteropTest extends AbstractReferenceInteropTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options.toBuilder().preferNativeTransport(false).build());
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {

        return NettyRaidaClient.create(NettyTransportTests.withNative(options, false));
    }
}
