package io.raida.transport.netty;

import io.raida.protocol.internal.PortReservation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;

/**
 * {@code SO_REUSEPORT} groups: one UDP socket and one TCP listener per event loop on the same port,
 * the kernel spreading datagrams and connections over them by a hash of the peer's address and
 * port. Only Linux balances such a group (BSD and macOS let the last socket win), so the option is
 * used there alone, and only when the JDK offers it ({@code supportedOptions()}) or on native epoll.
 */
final class ReusePort {
    /** Whether this platform balances a group of sockets on one port. */
    static final boolean SUPPORTED = PortReservation.REUSE_PORT_BALANCED;

    private ReusePort() {
    }

    static ProtocolFamily family(InetAddress host) {
        return PortReservation.family(host);
    }

    static int reserve(InetAddress host, int port, boolean tcp, boolean udp) throws IOException {
        return PortReservation.reserve(host, port, tcp, udp);
    }
}
