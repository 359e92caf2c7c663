package io.raida.protocol.server;

/**
 * The kinds of user code the core calls while answering a request. Whatever any of them throws,
 * except a {@link VirtualMachineError}, is that request's failure: answered with 252
 * (ERROR_INTERNAL), counted, logged once per source, and never allowed to reach an I/O loop or a
 * worker ({@link ServerCore#userCodeFailed}).
 */
enum UserCode {
    /** {@link CoinKeyResolver} called while the header is validated. */
    KEY_RESOLVER("key resolver"),
    /** A {@link CommandHandler}. */
    HANDLER("command handler"),
    /** A {@link DatagramInterceptor} asked before RAIDA decoding. */
    INTERCEPTOR("datagram interceptor");

    final String label;

    UserCode(String label) {
        this.label = label;
    }
}
