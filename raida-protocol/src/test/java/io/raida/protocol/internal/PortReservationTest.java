package io.raida.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SO_REUSEPORT group check: a second group of the same user that got the same port in the
 * window between {@link PortReservation#reserve} and its bind merges with the first one silently
 * (the kernel then hands it a share of the first server's datagrams); {@link PortReservation#confirmAlone}
 * sees the foreign sockets.
 */
class PortReservationTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    private static DatagramChannel udpMember(int port) throws Exception {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        c.bind(new InetSocketAddress(LO, port));
        return c;
    }

    private static ServerSocketChannel tcpMember(int port) throws Exception {
        ServerSocketChannel c = ServerSocketChannel.open(StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        c.bind(new InetSocketAddress(LO, port));
        return c;
    }

    @Test
    void aForeignMemberOfTheGroupIsSeenAndStealsDatagrams() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "Linux /proc/net only");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            int port = PortReservation.reserve(LO, 0, true, true);
            open.add(udpMember(port));
            open.add(udpMember(port));
            open.add(tcpMember(port));
            open.add(tcpMember(port));
            PortReservation.confirmAlone(LO, port, 2, 2); // just this server's sockets: passes

            DatagramChannel foreign = udpMember(port); // another process's server, bound in the window
            open.add(foreign);
            assertThatThrownBy(() -> PortReservation.confirmAlone(LO, port, 2, 2)).isInstanceOf(BindException.class)
                    .hasMessageContaining("port " + port).hasMessageContaining("3 UDP sockets");

            // why it matters: datagrams from many source ports are spread over every member, the foreign one too
            foreign.configureBlocking(false);
            int stolen = 0;
            for (int i = 0; i < 200 && stolen == 0; i++) {
                try (DatagramSocket s = new DatagramSocket(0, LO)) {
                    s.send(new DatagramPacket(new byte[] {1}, 1, LO, port));
                }
                for (int w = 0; w < 20 && stolen == 0; w++) {
                    stolen += foreign.receive(ByteBuffer.allocate(8)) != null ? 1 : 0;
                    Thread.sleep(w == 0 ? 0 : 1);
                }
            }
            assertThat(stolen).as("datagrams meant for the first server that the foreign member received")
                    .isPositive();

            open.remove(foreign);
            foreign.close();
            open.add(tcpMember(port));
            assertThatThrownBy(() -> PortReservation.confirmAlone(LO, port, 2, 2)).isInstanceOf(BindException.class)
                    .hasMessageContaining("3 TCP listeners");
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void addressesAreWrittenAsTheKernelPrintsThem() {
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        assertThat(PortReservation.procAddress(new byte[] {127, 0, 0, 1})).isEqualTo(little ? "0100007F" : "7F000001");
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertThat(PortReservation.procAddress(v6))
                .isEqualTo(little ? "00000000000000000000000001000000" : "00000000000000000000000000000001");
    }
}
