package io.raida.protocol.transport;

/** Where a {@link RaidaServer} is in its life. */
public enum ServerState {
    /** Created, not yet started. */
    NEW,
    /** Bound and serving. */
    RUNNING,
    /** Closed by {@link RaidaServer#close()} (or never bound because start failed). */
    CLOSED,
    /**
     * Stopped by a fatal error (a {@link VirtualMachineError} such as {@link OutOfMemoryError} on an
     * I/O thread, or an I/O loop that ended unexpectedly): its sockets are closed and its port
     * released; {@link RaidaServer#failure()} tells why. Restart the process or build a new server.
     * (A worker recovers from such an error: its request's connection is closed without a reply and
     * the worker serves on.)
     */
    FAILED
}
