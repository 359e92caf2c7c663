package io.raida.protocol.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The datagram interceptors of a {@link ServerCore}, asked in the order added. */
final class InterceptorChain {
    private final List<DatagramInterceptor> interceptors = new CopyOnWriteArrayList<>();
    private final UserCodeFailures failures;

    InterceptorChain(UserCodeFailures failures) {
        this.failures = failures;
    }

    void add(DatagramInterceptor interceptor) {
        interceptors.add(interceptor);
    }

    void remove(DatagramInterceptor interceptor) {
        interceptors.remove(interceptor);
    }

    /** See {@link ServerCore#interceptDatagram}. */
    byte[] intercept(ByteBuffer datagram, InetSocketAddress sender) {
        for (DatagramInterceptor i : interceptors) {
            try {
                byte[] reply = i.intercept(datagram.duplicate(), sender);
                if (reply != null) {
                    // an empty reply is DROP whatever its identity, so every transport sends nothing
                    return reply.length == 0 ? DatagramInterceptor.DROP : reply;
                }
            } catch (Throwable t) {
                failures.failed(UserCode.INTERCEPTOR, i, t, sender);
                return ServerCore.INTERCEPTOR_FAILED;
            }
        }
        return null;
    }
}
