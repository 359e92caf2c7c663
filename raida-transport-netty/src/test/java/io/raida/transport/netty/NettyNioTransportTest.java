package io.raida.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractSocketTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;

/** The shared transport suite on Netty with NIO event loops (the fallback used off Linux). */
class NettyNioTransportTest extends AbstractSocketTransportTest {

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        NettyRaidaServer s = NettyRaidaServer.create(core, options.toBuilder().preferNativeTransport(false).build());
        assertThat(s.isNativeTransport()).isFalse();
        return s;
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        NettyRaidaClient c = NettyRaidaClient.create(NettyTransportTests.withNative(options, false));
        assertThat(c.isNativeTransport()).isFalse();
        return c;
    }
}
