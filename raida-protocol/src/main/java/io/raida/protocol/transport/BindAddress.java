package io.raida.protocol.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The rule of {@link ServerOptions#bindAddress()}: resolve the host, refuse the wildcard for UDP. An
 * unconnected UDP socket on the wildcard answers a datagram sent to a secondary address (an alias, a
 * floating or virtual IP, 127.0.0.2) from the route's primary address, and clients rightly drop
 * replies from an address they did not send to: such a server would silently serve only half its
 * addresses. A socket bound to the one address the request came to guarantees the reply leaves from it.
 */
final class BindAddress {
    private BindAddress() {
    }

    static InetAddress resolve(String host, boolean udp) throws UnknownHostException {
        InetAddress a;
        try {
            a = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("cannot resolve the server's bind host \"" + host + "\": " + e.getMessage());
        }
        if (udp && a.isAnyLocalAddress()) {
            throw new IllegalArgumentException("UDP on the wildcard address " + host + " would answer datagrams sent to "
                    + "a secondary address (an alias, a floating IP, 127.0.0.2) from the primary one, which clients "
                    + "drop: bind each address with its own server, or serve the wildcard with TCP only (udp(false))");
        }
        return a;
    }
}
