package io.raida.transport.nio;

import static io.raida.protocol.transport.TransportTestSupport.BLOCK;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE_INLINE;
import static io.raida.protocol.transport.TransportTestSupport.command;
import static io.raida.protocol.transport.TransportTestSupport.echo;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.readToEof;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static io.raida.protocol.transport.TransportTestSupport.tcpInChunks;
import static io.raida.protocol.transport.TransportTestSupport.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP read path: a request is read with as few reads as possible through the loop's scratch
 * buffer, and bytes a client sends after its request are never processed but still drained so the
 * reply ends in a clean EOF, not a reset (D-23). {@link TransportTestSupport#readToEof} fails on a reset.
 */
class TcpReadPathTest {
    private final TransportTestSupport fx = TransportTestSupport.create();
    private NioRaidaServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = NioRaidaServer.create(fx.newCore(65_535), ServerOptions.builder().build()).start();
        address = server.localAddress();
    }

    @AfterEach
    void stop() {
        fx.release.countDown();
        server.close();
    }

    @Test
    void extraBytesReadTogetherWithTheRequestAreDrainedNotReset() throws Exception {
        for (int extra : new int[] {1, 100, ServerLoop.READ_BUFFER, 3 * ServerLoop.READ_BUFFER}) {
            ClientRequest req = echo();
            byte[] frame = Arrays.copyOf(req.frame(), req.frame().length + extra);
            byte[] reply = tcpInChunks(address, frame, new int[] {frame.length}, 0);
            assertThat(ResponseParser.parse(req, reply).status()).as("%d extra bytes", extra).isEqualTo(250);
        }
    }

    @Test
    void requestAsLargeAsTheReadBufferThenExtraBytesIsAnsweredAndDrained() throws Exception {
        int payload = ServerLoop.READ_BUFFER - 32 - 18; // header + challenge + terminator
        byte[] p = randomBytes(payload);
        ClientRequest req = command(REVERSE_INLINE, p);
        assertThat(req.frame()).hasSize(ServerLoop.READ_BUFFER);
        byte[] frame = Arrays.copyOf(req.frame(), req.frame().length + 1_000);
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            writeAll(s, frame);
            byte[] reply = readToEof(s.getInputStream());
            assertThat(ResponseParser.parse(req, reply).payload()).isEqualTo(reverse(p));
        }
    }

    @Test
    void extraBytesArrivingWhileAWorkerRunsTheHandlerAreDrained() throws Exception {
        byte[] p = randomBytes(40);
        ClientRequest req = command(BLOCK, p);
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            writeAll(s, req.frame());
            assertThat(fx.entered.tryAcquire(10, TimeUnit.SECONDS)).as("handler started").isTrue();
            writeAll(s, new byte[500]);
            Thread.sleep(100);
            fx.release.countDown();
            byte[] reply = readToEof(s.getInputStream());
            assertThat(ResponseParser.parse(req, reply).payload()).isEqualTo(p);
        }
    }

    @Test
    void requestInOneByteWritesIsAnsweredWithACleanEof() throws Exception {
        byte[] p = randomBytes(25);
        ClientRequest req = command(REVERSE_INLINE, p);
        byte[] reply = tcpInChunks(address, req.frame(), new int[] {1}, 1);
        assertThat(ResponseParser.parse(req, reply).payload()).isEqualTo(reverse(p));
    }

    @Test
    void requestRefusedAtItsHeaderDrainsTheBodyStillArrivingInsteadOfResetting() throws Exception {
        ClientRequest req = echo();
        byte[] frame = req.frame().clone();
        frame[2] = (byte) ((frame[2] + 1) % 25); // another RAIDA's id: 3 ERROR_INVALID_RAIDA_ID at the header
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            writeAll(s, Arrays.copyOf(frame, 32));
            byte[] reply = readToEof(s.getInputStream());
            assertThat(reply[2] & 0xFF).isEqualTo(3);
            // the body the client was still sending: a closed socket would answer it with RST, so the
            // second write would fail; a server that shut down output and drains accepts both
            writeAll(s, Arrays.copyOfRange(frame, 32, frame.length));
            Thread.sleep(100);
            writeAll(s, new byte[16]);
            s.shutdownOutput();
        }
    }
}
