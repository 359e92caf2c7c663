package io.raida.transport.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractReferenceInteropTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The Netty client (native epoll) against the reference server's wire behaviour (and the Netty server). */
class NettyEpollReferenceInteropTest extends AbstractReferenceInteropTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options.toBuilder().preferNativeTransport(true).build());
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
        return NettyRaidaClient.create(NettyTransportTests.withNative(options, true));
    }
}
