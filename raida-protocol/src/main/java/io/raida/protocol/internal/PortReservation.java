package io.raida.protocol.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;

/** The port check every transport makes before binding an {@code SO_REUSEPORT} group. */
public final class PortReservation {
    private PortReservation() {
    }

    /**
     * The protocol family of {@code host}.
     *
     * @param host the address
     * @return {@code INET} for IPv4, {@code INET6} for IPv6
     */
    public static ProtocolFamily family(InetAddress host) {
        return host instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * Checks that {@code port} (0: a free one) is free for everyone on {@code host} by binding it
     * without {@code SO_REUSEPORT}, and returns it; the probe sockets are closed again. Without this
     * a second server of the same user on a taken port would silently join the first one's group
     * and take a share of its traffic instead of failing with "address in use".
     *
     * @param host the address to bind
     * @param port the port, 0 for a free one
     * @param tcp whether TCP must be free
     * @param udp whether UDP must be free
     * @return the port, the one picked when 0 was asked
     * @throws java.io.IOException if the port is taken on {@code host}
     */
    public static int reserve(InetAddress host, int port, boolean tcp, boolean udp) throws IOException {
        ServerSocketChannel t = null;
        DatagramChannel u = null;
        try {
            if (tcp) {
                t = ServerSocketChannel.open(family(host));
                t.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                t.bind(new InetSocketAddress(host, port), 1);
                port = ((InetSocketAddress) t.getLocalAddress()).getPort();
            }
            if (udp) {
                u = DatagramChannel.open(family(host));
                u.bind(new InetSocketAddress(host, port));
                port = ((InetSocketAddress) u.getLocalAddress()).getPort();
            }
            return port;
        } catch (BindException e) {
            throw new BindException(e.getMessage() + " (port " + port + ")");
        } finally {
            closeQuietly(t);
            closeQuietly(u);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // a probe socket: nothing to do
            }
        }
    }
}
