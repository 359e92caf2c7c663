package io.raida.protocol.internal;

/**
 * The kernel buffer sizes every socket transport asks for on its UDP sockets (the servers' and the
 * clients' shared ones), so a burst is absorbed the same way whichever transport runs. A burst of
 * 5 000 small datagrams needs about 8 MiB of kernel receive memory on Linux (each datagram is
 * charged its buffer overhead, ~1.6 KiB, not its length), which a 4 MiB request gives (Linux
 * doubles the value); with 1 MiB about half of such a burst is dropped at the socket. The kernel
 * caps the request at {@code net.core.rmem_max} ({@code wmem_max}), silently: raise those for
 * larger bursts.
 */
public final class UdpSocketBuffers {
    /** {@code SO_RCVBUF} of a server or shared client UDP socket: 4 MiB. */
    public static final int RECEIVE = 4 * 1024 * 1024;
    /** {@code SO_SNDBUF} of a server UDP socket: 1 MiB (replies leave as fast as they are written). */
    public static final int SEND = 1024 * 1024;

    private UdpSocketBuffers() {
    }
}
