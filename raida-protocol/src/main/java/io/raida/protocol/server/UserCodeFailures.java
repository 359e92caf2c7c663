package io.raida.protocol.server;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link ServerCore} turns a failure of user code into that request's failure: counted in the
 * stats, logged with its stack trace the first time per source and briefly after that.
 */
final class UserCodeFailures {
    // logged under ServerCore, where operators have always found these lines
    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    private final ServerStats stats;
    private final Set<Object> failedOnce = ConcurrentHashMap.newKeySet();

    UserCodeFailures(ServerStats stats) {
        this.stats = stats;
    }

    /** See {@link ServerCore#userCodeFailed}. */
    void failed(UserCode kind, Object source, Throwable t, InetSocketAddress peer) {
        if (t instanceof VirtualMachineError vmError) {
            throw vmError;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        stats.recordHandlerFailure();
        try {
            if (failedOnce.add(source == null ? kind : source)) {
                LOG.error("{} {} failed (request from {}); answering 252", kind.label, describe(source),
                        ServerCore.address(peer), t);
            } else {
                LOG.debug("{} {} failed again: {}", kind.label, describe(source), t.toString());
            }
        } catch (Throwable unprintable) {
            if (unprintable instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            LOG.error("{} failed with an unprintable {}; answering 252", kind.label, t.getClass().getName());
        }
    }

    private static String describe(Object source) {
        if (source instanceof CommandRegistry.Registration r) {
            return "for command " + r.group() + "/" + r.code();
        }
        return source == null ? "" : source.getClass().getName();
    }
}
