package io.raida.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where a RAIDA is down, held for as long as the test needs it: TCP connects are
 * refused and UDP datagrams draw an ICMP port-unreachable, as for a port nobody holds, but no
 * other socket can take the port meanwhile. (A port that is merely "just released" can be handed
 * to the next server that binds port 0, in this JVM or another, which then answers for the dead
 * RAIDA.) The port is held by a TCP socket that is bound but never listens and a UDP socket that
 * is connected elsewhere, both without address reuse, so the kernel delivers nothing to them.
 */
public final class DeadPort implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The discard port: the UDP holder is connected there so that no datagram to the dead port reaches it. */
    private static final int ELSEWHERE = 9;

    private final DatagramSocket udp;
    private final Socket tcp;

    private DeadPort(DatagramSocket udp, Socket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Reserves a dead port on the loopback address.
     *
     * @return the reservation; close it when the test ends
     */
    public static DeadPort open() {
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(null);
                udp.setReuseAddress(false);
                udp.bind(new InetSocketAddress(LOOPBACK, 0));
                udp.connect(LOOPBACK, ELSEWHERE);
                Socket tcp = new Socket();
                tcp.setReuseAddress(false);
                try {
                    tcp.bind(new InetSocketAddress(LOOPBACK, udp.getLocalPort()));
                } catch (BindException taken) {
                    tcp.close();
                    udp.close();
                    continue;
                }
                return new DeadPort(udp, tcp);
            } catch (IOException e) {
                if (udp != null) {
                    udp.close();
                }
                throw new UncheckedIOException("cannot reserve a loopback port", e);
            }
        }
        throw new IllegalStateException("no loopback port was free for both TCP and UDP in 50 attempts");
    }

    /** @return the port number */
    public int port() {
        return udp.getLocalPort();
    }

    /** @return the loopback address with the dead port */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port());
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing a socket that never connected: nothing to flush
        }
    }
}
