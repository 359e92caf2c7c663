package io.raida.protocol.server;


/**
 * Executes one command. Handlers run on the server's worker pool unless registered as
 * non-blocking ({@link CommandRegistry#registerNonBlocking}), in which case the transport may run
 * them on its I/O thread. Any exception becomes status 252 (ERROR_INTERNAL); it never kills the
 * connection loop or the worker.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * Handles one request; called once per request on the thread its registration chose.
     *
     * @param request the decoded, decrypted request
     * @return the status and payload to answer with, not {@code null}
     * @throws Exception for any failure: the request is answered 252 ERROR_INTERNAL and the failure logged
     */
    CommandResult handle(CommandRequest request) throws Exception;
}
