package io.raida.protocol.internal;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerLifecycle;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.ServerState;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every transport's server shares: its core and options, the bound address, and the state
 * machine of {@link ServerLifecycle} (NEW, RUNNING, then CLOSED or FAILED once) with its failure
 * listeners. A transport binds, calls {@link #markRunning()}, and on close or a fatal error calls
 * {@link #markClosed()} or {@link #markFailed(Throwable)}, closes its sockets and then
 * {@link #notifyFailure()}. {@link #isRunning()} is true exactly in RUNNING.
 *
 * @param <S> the transport's server type, returned by {@link #onFailure(Consumer)}
 */
public abstract class AbstractRaidaServer<S extends AbstractRaidaServer<S>> implements RaidaServer {
    /** The protocol core this server drives. */
    protected final ServerCore core;
    /** The options this server was created with. */
    protected final ServerOptions options;
    /** Where the server is bound; null until its sockets are bound. */
    protected volatile InetSocketAddress localAddress;
    private final ServerLifecycle health = new ServerLifecycle();

    /**
     * A server for {@code core} with {@code options}, not yet started.
     *
     * @param core    the protocol core
     * @param options the server options
     */
    protected AbstractRaidaServer(ServerCore core, ServerOptions options) {
        this.core = Objects.requireNonNull(core, "core");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * This server as its own type.
     *
     * @return {@code this}
     */
    protected abstract S self();

    /** The server is bound and serving: RUNNING. */
    protected final void markRunning() {
        health.running();
    }

    /** The server is being closed: CLOSED (no effect once failed). */
    protected final void markClosed() {
        health.closed();
    }

    /**
     * Records a fatal error.
     *
     * @param cause the error
     * @return true for the first one while running, which the caller must act on (close every
     *         socket, then {@link #notifyFailure()}); false when already failed or closed
     */
    protected final boolean markFailed(Throwable cause) {
        return health.fail(cause);
    }

    /** Tells the failure listeners; called after the sockets of a failed server were closed. */
    protected final void notifyFailure() {
        health.notifyFailure();
    }

    /**
     * The options this server was created with.
     *
     * @return the options
     */
    public ServerOptions options() {
        return options;
    }

    @Override
    public final InetSocketAddress localAddress() {
        InetSocketAddress a = localAddress;
        if (a == null) {
            throw new IllegalStateException("server not started");
        }
        return a;
    }

    @Override
    public final ServerCore core() {
        return core;
    }

    @Override
    public final boolean isRunning() {
        return health.state() == ServerState.RUNNING;
    }

    @Override
    public final ServerState state() {
        return health.state();
    }

    @Override
    public final Throwable failure() {
        return health.failure();
    }

    @Override
    public final S onFailure(Consumer<Throwable> listener) {
        health.onFailure(listener);
        return self();
    }
}
