package io.raida.protocol.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state, failure cause and failure listeners of one server, shared by the transports so every
 * {@link RaidaServer} reports a fatal error the same way: once, after its sockets are closed.
 * Thread-safe.
 */
public final class ServerLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLifecycle.class);

    private final List<Consumer<Throwable>> listeners = new CopyOnWriteArrayList<>();
    private volatile ServerState state = ServerState.NEW;
    private volatile Throwable failure;

    /**
     * The current state.
     *
     * @return the state, never {@code null}
     */
    public ServerState state() {
        return state;
    }

    /**
     * Why the server failed, or null.
     *
     * @return the fatal error, or {@code null}
     */
    public Throwable failure() {
        return failure;
    }

    /** The server is bound and serving. */
    public synchronized void running() {
        if (state == ServerState.NEW) {
            state = ServerState.RUNNING;
        }
    }

    /** The server was closed (no effect once failed). */
    public synchronized void closed() {
        if (state != ServerState.FAILED) {
            state = ServerState.CLOSED;
        }
    }

    /**
     * Records a fatal error: true for the first one while running, which the caller must act on
     * (close everything, then {@link #notifyFailure()}); false when already failed or closed.
     *
     * @param cause the fatal error
     * @return {@code true} if this is the first failure while running
     */
    public synchronized boolean fail(Throwable cause) {
        if (state != ServerState.RUNNING) {
            return false;
        }
        failure = cause;
        state = ServerState.FAILED;
        return true;
    }

    /** Calls the failure listeners with the recorded cause (after the sockets were closed). */
    public void notifyFailure() {
        Throwable cause = failure;
        for (Consumer<Throwable> l : listeners) {
            try {
                l.accept(cause);
            } catch (RuntimeException e) {
                LOG.warn("a server failure listener threw", e);
            }
        }
    }

    /**
     * Adds a listener called once if the server fails (at once if it already has).
     *
     * @param listener receives the fatal error
     */
    public void onFailure(Consumer<Throwable> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        boolean failedAlready;
        synchronized (this) {
            failedAlready = state == ServerState.FAILED;
        }
        if (failedAlready && listeners.remove(listener)) {
            listener.accept(failure);
        }
    }
}
