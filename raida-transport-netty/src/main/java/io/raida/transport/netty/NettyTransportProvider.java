package io.raida.transport.netty;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;

/**
 * The "netty" transport for {@link RaidaTransportProvider#named(String)}. Needs Netty 4.2 or later:
 * with an older Netty on the class path the provider fails to load ({@link IllegalStateException}
 * naming the found version, wrapped by {@link java.util.ServiceLoader} in a
 * {@link java.util.ServiceConfigurationError}).
 */
public final class NettyTransportProvider implements RaidaTransportProvider {

    /**
     * Checks the Netty version on the class path.
     *
     * @throws IllegalStateException with Netty older than 4.2
     */
    public NettyTransportProvider() {
        NettyVersionGuard.check(NettyTransportProvider.class.getClassLoader());
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public RaidaServer newServer(ServerCore core, ServerOptions options) {
        return NettyRaidaServer.create(core, options);
    }

    @Override
    public RaidaClient newClient(ClientOptions options) {
        return NettyRaidaClient.create(options);
    }
}
