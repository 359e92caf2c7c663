package io.raida.protocol.transport;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A RAIDA X server transport: TCP and UDP on one port, driving a {@link ServerCore}. Implemented by
 * {@code raida-transport-nio} and {@code raida-transport-netty}; both pass the same
 * {@code AbstractTransportTest}.
 */
public interface RaidaServer extends AutoCloseable {

    /** Binds and starts serving. Returns {@code this}. */
    RaidaServer start() throws IOException;

    /** The bound address (after {@link #start()}); its port is the one actually bound when 0 was asked. */
    InetSocketAddress localAddress();

    /** The bound port. */
    default int port() {
        return localAddress().getPort();
    }

    /** The core this server drives. */
    ServerCore core();

    /** Counters: the core's, updated by the transport too. */
    default ServerStats stats() {
        return core().stats();
    }

    /** True between {@link #start()} and {@link #close()}. */
    boolean isRunning();

    /**
     * Stops accepting, lets in-flight requests finish up to the configured shutdown timeout, then
     * releases every socket and thread. Idempotent.
     */
    @Override
    void close();
}
