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

    /** Short name, e.g. {@code "nio"} or {@code "netty"}. */
    String name();

    /** A new (not yet started) server. */
    RaidaServer newServer(ServerCore core, ServerOptions options);

    /** A new client. */
    RaidaClient newClient(ClientOptions options);

    /** The provider named {@code name}, from the class path. */
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
