package io.raida.protocol.transport;

import io.raida.protocol.server.ServerCore;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Service-provider interface for transports ({@code META-INF/services}); lets tools pick a transport
 * by name ("nio", "netty") without compile-time dependencies.
 */
public interface RaidaTransportProvider {

    /**
     * Short name, e.g. {@code "nio"} or {@code "netty"}.
     *
     * @return the name {@link #named(String)} finds this provider by
     */
    String name();

    /**
     * A new (not yet started) server.
     *
     * @param core the protocol core that answers every request
     * @param options host, port, threads and limits of the server
     * @return a server; nothing listens until {@link RaidaServer#start()}
     */
    RaidaServer newServer(ServerCore core, ServerOptions options);

    /**
     * A new client.
     *
     * @param options timeouts, threads and limits of the client
     * @return a client; close it to release its threads and sockets
     */
    RaidaClient newClient(ClientOptions options);

    /**
     * The provider named {@code name}, from the class path.
     *
     * @param name the provider's name, e.g. {@code "nio"}
     * @return the provider
     */
    static RaidaTransportProvider named(String name) {
        List<String> names = new ArrayList<>();
        for (RaidaTransportProvider p : ServiceLoader.load(RaidaTransportProvider.class)) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
            names.add(p.name());
        }
        throw new IllegalArgumentException("no RAIDA transport named \"" + name + "\" on the class path (available: "
                + names + ")");
    }
}
