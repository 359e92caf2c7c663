package io.raida.protocol.transport;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A RAIDA X server transport: TCP and UDP on one port, driving a {@link ServerCore}. Implemented by
 * {@code raida-transport-nio} and {@code raida-transport-netty}; both pass the same
 * {@code AbstractTransportTest}.
 */
public interface RaidaServer extends AutoCloseable {

    /**
     * Binds and starts serving. Returns {@code this}.
     *
     * @return this server
     * @throws java.io.IOException if the port cannot be bound
     */
    RaidaServer start() throws IOException;

    /**
     * The bound address (after {@link #start()}); its port is the one actually bound when 0 was asked.
     *
     * @return the bound address
     */
    InetSocketAddress localAddress();

    /**
     * The bound port.
     *
     * @return the port, 1..65535 once started
     */
    default int port() {
        return localAddress().getPort();
    }

    /**
     * The core this server drives.
     *
     * @return the core, never {@code null}
     */
    ServerCore core();

    /**
     * Counters: the core's, updated by the transport too.
     *
     * @return the live counters
     */
    default ServerStats stats() {
        return core().stats();
    }

    /**
     * True between {@link #start()} and {@link #close()}, unless the server failed.
     *
     * @return {@code true} while serving
     */
    boolean isRunning();

    /**
     * NEW, RUNNING, CLOSED or FAILED. A server never stays bound while it cannot serve: a fatal error
     * on an I/O thread (e.g. {@link OutOfMemoryError}) closes its sockets, releases its port and turns
     * it FAILED. The in-process server has no I/O thread and never fails.
     *
     * @return the state, never {@code null}
     */
    ServerState state();

    /**
     * Why the server {@link ServerState#FAILED failed}, or null.
     *
     * @return the fatal error, or {@code null} unless FAILED
     */
    Throwable failure();

    /**
     * Registers a listener called once, on the failing thread, after a fatal error closed the
     * server's sockets (at once if it already failed). An embedder typically exits the process so a
     * supervisor restarts it. Returns {@code this}.
     *
     * @param listener receives the fatal error
     * @return this server
     */
    RaidaServer onFailure(Consumer<Throwable> listener);

    /**
     * Stops accepting, lets in-flight requests finish up to the configured shutdown timeout, then
     * releases every socket and thread. Idempotent.
     */
    @Override
    void close();
}
