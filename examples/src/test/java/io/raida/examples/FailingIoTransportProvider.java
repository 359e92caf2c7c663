package io.raida.examples;

import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;

/**
 * A test transport ({@value #NAME}, found by {@link java.util.ServiceLoader} on the test class path):
 * the NIO transport with one more command, {@value #GROUP}/{@value #CODE}, a non-blocking handler
 * (it runs on an I/O thread) that throws an {@link InternalError}. One such request makes the NIO
 * server's I/O loop fail with a {@link VirtualMachineError}, as an out-of-memory error there would:
 * the real fatal-error path of a transport, reached from outside the process.
 */
public final class FailingIoTransportProvider implements RaidaTransportProvider {
    /** The provider's name, for {@code server --transport}. */
    public static final String NAME = "failing-io";
    /** The command that fails the I/O loop: a group no example command uses. */
    public static final int GROUP = 15;
    /** Its code. */
    public static final int CODE = 66;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RaidaServer newServer(ServerCore core, ServerOptions options) {
        core.registry().registerNonBlocking(GROUP, CODE, FailingIoTransportProvider::failTheLoop);
        return nio().newServer(core, options);
    }

    @Override
    public RaidaClient newClient(ClientOptions options) {
        return nio().newClient(options);
    }

    /** Looked up when used: the service loader instantiates this provider while it searches for "nio". */
    private static RaidaTransportProvider nio() {
        return RaidaTransportProvider.named("nio");
    }

    private static CommandResult failTheLoop(CommandRequest req) {
        throw new InternalError("simulated fatal error on an I/O thread (test transport " + NAME + ")");
    }
}
