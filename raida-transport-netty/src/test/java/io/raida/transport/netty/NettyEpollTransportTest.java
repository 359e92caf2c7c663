package io.raida.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.AbstractSocketTransportTest;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import org.junit.jupiter.api.BeforeAll;

/** The shared transport suite on Netty's native epoll transport (skipped where epoll is unavailable). */
class NettyEpollTransportTest extends AbstractSocketTransportTest {

    @BeforeAll
    static void requireEpoll() {
        assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
    }

    @Override
    protected RaidaServer newServer(ServerCore core, ServerOptions options) {
        NettyRaidaServer s = NettyRaidaServer.create(core, options.toBuilder().preferNativeTransport(true).build());
        assertThat(s.isNativeTransport()).isTrue();
        return s;
    }

    @Override
    protected RaidaClient newClient(ClientOptions options) {
        NettyRaidaClient c = NettyRaidaClient.create(NettyTransportTests.withNative(options, true));
        assertThat(c.isNativeTransport()).isTrue();
        return c;
    }
}
