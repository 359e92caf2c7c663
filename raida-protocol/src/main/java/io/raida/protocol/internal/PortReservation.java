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

    /**
     * Whether this platform balances a group of sockets on one port ({@code SO_REUSEPORT}): Linux
     * only (BSD and macOS let the last socket win), and only when the JDK offers the option on both
     * UDP and TCP channels ({@code supportedOptions()}).
     */
    public static final boolean REUSE_PORT_BALANCED = probeReusePort();

    private static boolean probeReusePort() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return false;
        }
        try (DatagramChannel udp = DatagramChannel.open(); ServerSocketChannel tcp = ServerSocketChannel.open()) {
            return udp.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)
                    && tcp.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
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

    /**
     * After binding an {@code SO_REUSEPORT} group of {@code tcpListeners} listeners and
     * {@code udpSockets} UDP sockets on {@code host:port}, checks that the group holds only them.
     * {@link #reserve} leaves a window between its probe and the group's bind in which another
     * process of the same user doing the same (a second server, a parallel test JVM) can get the
     * same free port; both groups then merge silently and the kernel hands each server a share of
     * the other's datagrams and connections, which it answers as its own or not at all. The last
     * of the two to bind sees the other's sockets here and must close its own and try another port.
     * Reads {@code /proc/net/{tcp,udp}[6]} (Linux, the only platform where the group is used); where
     * they cannot be read the check passes.
     *
     * @param host         the bound address
     * @param port         the bound port
     * @param tcpListeners this server's listeners on it
     * @param udpSockets   this server's UDP sockets on it
     * @throws BindException when other sockets share the port
     */
    public static void confirmAlone(InetAddress host, int port, int tcpListeners, int udpSockets)
            throws BindException {
        boolean v6 = host instanceof Inet6Address;
        String local = procAddress(host.getAddress()) + ":" + String.format("%04X", port);
        int tcp = tcpListeners == 0 ? 0 : count(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", local, "0A");
        int udp = udpSockets == 0 ? 0 : count(v6 ? "/proc/net/udp6" : "/proc/net/udp", local, null);
        if (tcp > tcpListeners || udp > udpSockets) {
            throw new BindException("port " + port + " on " + host.getHostAddress() + " is shared with another "
                    + "SO_REUSEPORT group (" + tcp + " TCP listeners, " + udp + " UDP sockets, this server has "
                    + tcpListeners + " and " + udpSockets + ")");
        }
    }

    /** Sockets in {@code table} bound to {@code local} (in state {@code state} when given); -1 if unreadable. */
    private static int count(String table, String local, String state) {
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(table));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length > 3 && f[1].equalsIgnoreCase(local) && (state == null || f[3].equalsIgnoreCase(state))) {
                n++;
            }
        }
        return n;
    }

    /** An address as the kernel prints it in /proc/net: each 32-bit word in the host's byte order. */
    static String procAddress(byte[] address) {
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        StringBuilder sb = new StringBuilder(address.length * 2);
        for (int w = 0; w < address.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(String.format("%02X", address[w + (little ? 3 - i : i)] & 0xFF));
            }
        }
        return sb.toString();
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
