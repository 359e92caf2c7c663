package io.raida.protocol.server;


/**
 * Executes one command. Handlers run on the server's worker pool unless registered as
 * non-blocking ({@link CommandRegistry#registerNonBlocking}), in which case the transport may run
 * them on its I/O thread. Any exception becomes status 252 (ERROR_INTERNAL); it never kills the
 * connection loop or the worker.
 */
@FunctionalInterface
public interface CommandHandler {
    CommandResult handle(CommandRequest request) throws Exception;
}
