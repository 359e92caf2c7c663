package io.raida.protocol.transport;

import static io.raida.protocol.transport.TransportTestSupport.BIG;
import static io.raida.protocol.transport.TransportTestSupport.BLOCK;
import static io.raida.protocol.transport.TransportTestSupport.COIN_ID;
import static io.raida.protocol.transport.TransportTestSupport.GROUP;
import static io.raida.protocol.transport.TransportTestSupport.RAIDA;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE_INLINE;
import static io.raida.protocol.transport.TransportTestSupport.await;
import static io.raida.protocol.transport.TransportTestSupport.closedByPeerWithin;
import static io.raida.protocol.transport.TransportTestSupport.command;
import static io.raida.protocol.transport.TransportTestSupport.echo;
import static io.raida.protocol.transport.TransportTestSupport.echoOf;
import static io.raida.protocol.transport.TransportTestSupport.ofType;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static io.raida.protocol.transport.TransportTestSupport.status;
import static io.raida.protocol.transport.TransportTestSupport.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.server.DatagramInterceptor;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The part of the transport suite that talks to the server through raw sockets: byte-level TCP
 * behaviour (fragments, bytes after the request, half-open and slow peers, deadlines, the
 * connection limit, RST-free closes) and UDP datagrams sent from plain {@link DatagramSocket}s.
 * Every socket transport extends this class; a transport without sockets (in-process) extends
 * {@link AbstractTransportTest} only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractSocketTransportTest extends AbstractTransportTest {
    /** A non-blocking test command that holds its I/O thread until the test lets it go. */
    private static final int HOLD_LOOP = 230;

    @Test
    void incompleteTcpRequestGetsNoReplyAndIsClosedAtTheDeadline() throws Exception {
        start(options().timeouts(t -> t.readTimeout(Duration.ofMillis(500))).build());
        byte[] frame = echo().frame();
        byte[] partial = java.util.Arrays.copyOf(frame, 40); // full header, half the body
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            TransportTestSupport.writeAll(s, partial);
            long t0 = System.nanoTime();
            assertThat(closedByPeerWithin(s, 8_000)).as("closed by the server").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(8_000);
        }
        assertThat(core.stats().timeouts()).isGreaterThanOrEqualTo(1);
    }

    // ================================================================ framing: fragments, sizes

    @Test
    void fragmentedTcpWritesAreReassembled() throws Exception {
        start(options().build());
        for (int type : new int[] {0, 4}) {
            byte[] payload = randomBytes(33);
            // a fresh request (nonce) each time: a type 4 frame sent twice is a replay (177)
            ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).payload(payload).build();
            byte[] oneByOne = TransportTestSupport.tcpInChunks(address, req.frame(), new int[] {1}, 1);
            assertThat(ResponseParser.parse(req, oneByOne).payload()).isEqualTo(reverse(payload));
            req = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).payload(payload).build();
            byte[] odd = TransportTestSupport.tcpInChunks(address, req.frame(), new int[] {3, 7, 16, 1, 5, 13}, 2);
            assertThat(ResponseParser.parse(req, odd).payload()).isEqualTo(reverse(payload));
            req = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).payload(payload).build();
            byte[] headerThenBody = TransportTestSupport.tcpInChunks(address, req.frame(),
                    new int[] {req.headerSize(), 1000}, 50);
            assertThat(ResponseParser.parse(req, headerThenBody).payload()).isEqualTo(reverse(payload));
        }
    }

    @Test
    void bytesAfterTheRequestDoNotDestroyTheReply() throws Exception {
        start(options().build());
        for (int i = 0; i < 10; i++) {
            ClientRequest req = echo();
            byte[] frame = req.frame();
            byte[] withGarbage = java.util.Arrays.copyOf(frame, frame.length + 3_000);
            byte[] reply = TransportTestSupport.tcpInChunks(address, withGarbage, new int[] {withGarbage.length}, 0);
            assertThat(ResponseParser.parse(req, reply).status()).as("attempt %d", i).isEqualTo(250);
        }
        // D-23: closing with unread input sends RST, which discards reply bytes the kernel has not sent
        // yet; a large reply to a client that reads late shows it
        for (int i = 0; i < 3; i++) {
            ClientRequest req = command(BIG, TransportTestSupport.size(3_000_000));
            byte[] frame = req.frame();
            try (Socket s = new Socket()) {
                s.setSoTimeout(20_000);
                s.connect(address, 5_000);
                TransportTestSupport.writeAll(s, java.util.Arrays.copyOf(frame, frame.length + 3_000));
                Thread.sleep(300);
                byte[] reply = TransportTestSupport.readToEof(s.getInputStream());
                assertThat(reply.length).as("attempt %d: whole reply", i).isEqualTo(32 + 3_000_000 + 2);
                assertThat(ResponseParser.parse(req, reply).payload()).hasSize(3_000_000);
            }
        }
    }

    @Test
    void halfHeaderPeerIsClosedWithinTheReadDeadlineWhileOthersAreServed() throws Exception {
        start(options().timeouts(t -> t.readTimeout(Duration.ofMillis(800))).build());
        try (Socket silent = new Socket()) {
            silent.connect(address, 5_000);
            long t0 = System.nanoTime();
            TransportTestSupport.writeAll(silent, java.util.Arrays.copyOf(echo().frame(), 10));
            for (int i = 0; i < 20; i++) {
                assertEchoWorksOnBoth();
            }
            assertThat(closedByPeerWithin(silent, 10_000)).as("silent peer closed by the server").isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("closed after the read deadline, not before").isGreaterThanOrEqualTo(700);
            assertThat(ms).as("closed within the read deadline plus slack").isLessThan(6_000);
        }
        assertThat(core.stats().timeouts()).isGreaterThanOrEqualTo(1);
        assertEchoWorksOnBoth();
    }

    /** A valid frame of a random type with a few random bytes changed, cut or extended. */
    private static byte[] mangled(java.util.Random rnd) {
        int type = new int[] {0, 1, 2, 4, 5}[rnd.nextInt(5)];
        byte[] f = ofType(RequestBuilder.command(RAIDA, rnd.nextInt(3) == 0 ? GROUP : 0,
                rnd.nextInt(3) == 0 ? REVERSE_INLINE : rnd.nextInt(2)), type).payload(randomBytes(rnd.nextInt(80))).build()
                .frame();
        switch (rnd.nextInt(4)) {
            case 0:
                return java.util.Arrays.copyOf(f, rnd.nextInt(f.length + 1));
            case 1:
                return java.util.Arrays.copyOf(f, f.length + rnd.nextInt(64));
            case 2:
                return randomBytes(1 + rnd.nextInt(120));
            default:
                for (int i = rnd.nextInt(4); i >= 0; i--) {
                    f[rnd.nextInt(f.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return f;
        }
    }

    @Test
    void randomAndMangledFramesNeverStopTheServer() throws Exception {
        start(options().timeouts(t -> t.readTimeout(Duration.ofMillis(500))).build());
        java.util.Random rnd = new java.util.Random(20261121);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 3_000; i++) {
                byte[] f = mangled(rnd);
                s.send(new java.net.DatagramPacket(f, f.length, address));
                if (i % 200 == 0) {
                    assertEchoWorks(Transport.UDP);
                }
            }
        }
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket()) {
                s.setSoTimeout(10_000);
                s.connect(address, 5_000);
                TransportTestSupport.writeAll(s, mangled(rnd));
                s.shutdownOutput(); // an incomplete request then ends at EOF instead of the read deadline
                byte[] reply = TransportTestSupport.readToEof(s.getInputStream());
                if (reply.length > 0) {
                    assertThat(reply.length).isGreaterThanOrEqualTo(32);
                    assertThat(reply[0]).isEqualTo((byte) RAIDA);
                }
            } catch (java.net.SocketException e) {
                // a reset is an acceptable end for garbage; the server must just keep serving
            }
        }
        assertEchoWorksOnBoth();
        await("garbage connections released", 10_000, () -> core.stats().activeConnections() == 0);
    }

    @Test
    void slowReaderIsClosedAtTheIdleDeadline() throws Exception {
        start(fx.newCore(4_096), options().timeouts(t -> t.idleTimeout(Duration.ofMillis(600))).build());
        try (Socket lazy = new Socket()) {
            lazy.setReceiveBufferSize(4_096);
            lazy.connect(address, 5_000);
            TransportTestSupport.writeAll(lazy, command(BIG, TransportTestSupport.size(16_000_000)).frame());
            // never read: the server's writes stop making progress and the idle deadline closes it
            await("the stalled connection timed out", 20_000, () -> core.stats().timeouts() >= 1);
            await("the stalled connection released", 10_000, () -> core.stats().activeConnections() == 0);
        }
        assertEchoWorksOnBoth();
    }

    @Test
    void connectThenCloseStormDoesNotStopTheServer() throws Exception {
        start(options().timeouts(t -> t.readTimeout(Duration.ofMillis(500))).build());
        for (int i = 0; i < 1_000; i++) {
            try (Socket s = new Socket()) {
                s.connect(address, 5_000);
            }
        }
        assertEchoWorksOnBoth();
        Thread.sleep(1_000); // the reference stopped answering after an idle pause (reference-robustness.json)
        assertEchoWorksOnBoth();
        await("every storm connection released", 10_000, () -> core.stats().activeConnections() == 0);
    }

    @Test
    void fiveHundredIdleConnectionsDoNotStopTheServer() throws Exception {
        start(options().timeouts(t -> t.readTimeout(Duration.ofMillis(1_500))).build());
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket();
                idle.add(s);
                s.connect(address, 5_000);
            }
            for (int i = 0; i < 5; i++) {
                assertEchoWorksOnBoth(); // while all 500 are held
            }
            for (Socket s : idle) {
                assertThat(closedByPeerWithin(s, 10_000)).as("idle connection closed by the server").isTrue();
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertThat(core.stats().timeouts()).isGreaterThanOrEqualTo(500);
        assertEchoWorksOnBoth();
        await("idle connections released", 10_000, () -> core.stats().activeConnections() == 0);
    }

    @Test
    void connectionLimitAcceptsAndClosesTheExcess() throws Exception {
        start(options().connectionLimits(c -> c.maxConnections(4)).timeouts(t -> t.readTimeout(Duration.ofSeconds(20)))
                .build());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                held.add(s);
                s.connect(address, 5_000);
            }
            await("4 connections open", 10_000, () -> core.stats().activeConnections() == 4);
            try (Socket extra = new Socket()) {
                extra.connect(address, 5_000);
                assertThat(closedByPeerWithin(extra, 5_000)).as("connection beyond the limit closed").isTrue();
            }
            assertThat(core.stats().rejectedConnections()).isGreaterThanOrEqualTo(1);
            assertEchoWorks(Transport.UDP);
            for (Socket s : held) {
                assertThat(closedByPeerWithin(s, 50)).as("held connections stay open").isFalse();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        await("held connections released", 10_000, () -> core.stats().activeConnections() == 0);
        assertEchoWorks(Transport.TCP);
    }

    // ================================================================ UDP pool and state reset (D-10)

    @Test
    void udpPoolExhaustionDropsAndCountsWithoutLeakingOtherClientsData() throws Exception {
        start(options().connectionLimits(c -> c.udpPoolSize(2)).workerPools(w -> w.workerThreads(1)).build());
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            List<ClientRequest> blocked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                DatagramSocket s = track(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
                sockets.add(s);
                ClientRequest req = command(BLOCK, randomBytes(10 + i));
                blocked.add(req);
                byte[] f = req.frame();
                s.send(new java.net.DatagramPacket(f, f.length, address));
            }
            await("the handler started", 10_000, () -> fx.entered.availablePermits() >= 1);
            await("datagrams dropped for lack of a context", 10_000, () -> core.stats().drops() >= 1);
            // while the pool is exhausted: other clients' requests that fail early must not carry anyone's
            // echo or signature (D-10), and cheap commands are still answered with the asker's own data
            try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < 10; i++) {
                    byte[] early = TransportTestSupport.udp(other, address, with(echo().frame(), 2, RAIDA + 1), 5_000);
                    assertThat(early).as("early error reply").isNotNull();
                    assertThat(status(early)).isEqualTo(3);
                    assertThat(echoOf(early)).as("no echo leaked into an early error").isZero();
                    assertThat(java.util.Arrays.copyOfRange(early, 16, 32)).as("no signature leaked")
                            .containsOnly(0);
                    ClientRequest mine = echo();
                    byte[] reply = TransportTestSupport.udp(other, address, mine.frame(), 5_000);
                    assertThat(reply).isNotNull();
                    assertThat(mine.matches(reply, 0, reply.length)).as("echo reply is the asker's own").isTrue();
                    assertThat(ResponseParser.parse(mine, reply).status()).isEqualTo(250);
                }
            }
            fx.release.countDown();
            int answered = 0;
            for (int i = 0; i < sockets.size(); i++) {
                byte[] reply = TransportTestSupport.receive(sockets.get(i), i == 0 ? 10_000 : 500);
                if (reply != null) {
                    answered++;
                    ClientRequest req = blocked.get(i);
                    assertThat(req.matches(reply, 0, reply.length)).as("reply %d carries its own echo/signature", i)
                            .isTrue();
                    RaidaResponse r = ResponseParser.parse(req, reply);
                    assertThat(r.status()).isEqualTo(250);
                    assertThat(TransportTestSupport.receive(sockets.get(i), 1)).as("one reply only").isNull();
                }
            }
            assertThat(answered).as("requests holding a context are answered").isGreaterThanOrEqualTo(1);
            assertThat(answered).as("some were dropped").isLessThan(8);
            assertThat(core.stats().drops()).isGreaterThanOrEqualTo(8 - answered);
        } finally {
            for (DatagramSocket s : sockets) {
                s.close();
            }
        }
        assertEchoWorks(Transport.UDP);
    }

    @Test
    void earlyUdpErrorsNeverCarryAPreviousRequestsState() throws Exception {
        // a small pool, so exchanges are reused; 4, not 2: a worker descheduled between sending its
        // reply and returning its exchange must not make the next worker-bound datagram a drop
        start(options().connectionLimits(c -> c.udpPoolSize(4)).build());
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                ClientRequest valid = ofType(RequestBuilder.command(RAIDA, GROUP, i % 2 == 0 ? REVERSE : REVERSE_INLINE),
                        i % 5 == 0 ? 4 : 0).payload(randomBytes(12)).build();
                byte[] r = TransportTestSupport.udp(a, address, valid.frame(), 5_000);
                assertThat(ResponseParser.parse(valid, r).status()).isEqualTo(250);
                int[][] breaks = {{2, RAIDA + 1, 3}, {5, 99, 6}, {7, COIN_ID + 1, 7}, {0, 9, 255}};
                int[] br = breaks[i % breaks.length];
                byte[] bad = with(echo().frame(), br[0], br[1]);
                byte[] e = TransportTestSupport.udp(b, address, bad, 5_000);
                assertThat(status(e)).isEqualTo(br[2]);
                assertThat(e).hasSize(32);
                assertThat(echoOf(e)).isEqualTo(0);
                assertThat(java.util.Arrays.copyOfRange(e, 16, 32)).containsOnly(0);
            }
        }
    }

    @Test
    void interceptorReturningAnEmptyReplySendsNothingLikeDrop() throws Exception {
        ServerCore c = fx.newCore(4_096);
        // a fresh empty array, not the DROP constant: a zero-length reply is never sent as an empty datagram
        c.addDatagramInterceptor((DatagramInterceptor) (datagram, sender) -> datagram.remaining() == 5 ? new byte[0]
                : null);
        start(c, options().build());
        assertThat(c.answer(new byte[5], Transport.UDP)).as("ServerCore.answer agrees").isNull();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new java.net.DatagramPacket(new byte[5], 5, address));
            ClientRequest req = echo();
            // the first datagram back must be the echo reply, not an empty one for the intercepted datagram
            byte[] reply = TransportTestSupport.udp(s, address, req.frame(), 10_000);
            assertThat(reply).as("a reply to the echo").isNotNull();
            assertThat(reply.length).as("no empty datagram was sent").isGreaterThanOrEqualTo(32);
            assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(250);
        }
    }

    // ================================================================ handlers that fail or block

    @Test
    void blockedWorkersDoNotStallTheIoThreadAndAFullQueueIsRefused() throws Exception {
        start(options().workerPools(w -> w.workerThreads(2).workerQueueCapacity(2)).build());
        List<CompletableFuture<RaidaResponse>> blocked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            blocked.add(client.send(address, command(BLOCK, randomBytes(5)), Transport.TCP));
        }
        await("both workers busy", 10_000, () -> fx.entered.availablePermits() == 2);
        for (int i = 0; i < 10; i++) {
            assertEchoWorksOnBoth(); // non-blocking commands do not wait for a worker
        }
        // two more fit the queue; the rest must be refused with 254 (D-31), not queued without bound
        List<CompletableFuture<RaidaResponse>> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(client.send(address, command(BLOCK, randomBytes(5)), Transport.TCP));
        }
        await("requests beyond the worker queue refused", 20_000,
                () -> more.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()
                        && f.join().status() == StatusCode.ERROR_MEMORY_ALLOC.code()).count() >= 4);
        assertEchoWorksOnBoth();
        long drops = core.stats().drops();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] none = TransportTestSupport.udp(s, address, command(BLOCK, randomBytes(5)).frame(), 500);
            assertThat(none).as("UDP request beyond the queue is dropped").isNull();
        }
        assertThat(core.stats().drops()).isGreaterThan(drops);
        fx.release.countDown();
        for (CompletableFuture<RaidaResponse> f : blocked) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(250);
        }
        int ok = 0;
        for (CompletableFuture<RaidaResponse> f : more) {
            int st = f.get(30, TimeUnit.SECONDS).status();
            assertThat(st).isIn(250, 254);
            ok += st == 250 ? 1 : 0;
        }
        assertThat(ok).as("queued requests answered once workers are free").isEqualTo(2);
        assertEchoWorksOnBoth();
    }

    /**
     * Issue 19 (d): a TCP request whose waiting handler overruns gets 254 at its deadline and the
     * server closes the connection then, holding no descriptor while the handler runs on.
     */
    @Test
    void overrunningTcpRequestIsAnsweredAndClosedAtItsDeadline() throws Exception {
        ServerCore c = fx.newCore(4_096);
        registerSleepy(c);
        start(c, options().timeouts(t -> t.tcpDeadline(Duration.ofMillis(800))).build());
        byte[] p = randomBytes(4);
        p[0] = 1;
        ClientRequest req = command(SLEEPY, p);
        try (Socket s = new Socket()) {
            s.setSoTimeout(15_000);
            s.connect(address, 5_000);
            long t0 = System.nanoTime();
            s.getOutputStream().write(req.frame());
            byte[] reply = TransportTestSupport.readToEof(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(StatusCode.ERROR_MEMORY_ALLOC.code());
            assertThat(ms).as("reply and EOF at the deadline").isBetween(700L, 5_000L);
        }
        assertThat(fx.entered.availablePermits()).as("the handler is still running").isEqualTo(1);
        await("the server closed its side while the handler runs on", 10_000,
                () -> core.stats().activeConnections() == 0);
        assertThat(core.stats().bulkhead(SLEEPY_BULKHEAD).running()).isEqualTo(1);
        fx.release.countDown();
        await("handler returned", 20_000, () -> core.stats().bulkhead(SLEEPY_BULKHEAD).running() == 0);
        assertThat(core.stats().requestsWithStatus(250)).as("the late result is never sent or counted").isZero();
    }

    // ================================================================ lifecycle and stats

    @Test
    void closeDrainsInFlightRequestsAndLeavesNoThreadOrSocket() throws Exception {
        Set<Thread> before = TransportTestSupport.liveThreads();
        RaidaServer srv = start(options().timeouts(t -> t.shutdownTimeout(Duration.ofSeconds(10))).build());
        int port = srv.port();
        assertThat(srv.isRunning()).isTrue();
        assertEchoWorksOnBoth();
        CompletableFuture<RaidaResponse> tcp = client.send(address, command(BLOCK, randomBytes(3)), Transport.TCP);
        CompletableFuture<RaidaResponse> udp = client.send(address, command(BLOCK, randomBytes(4)), Transport.UDP);
        await("both requests reached their handler", 10_000, () -> fx.entered.availablePermits() == 2);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        Future<?> closing = closer.submit(srv::close);
        Thread.sleep(300);
        assertThat(srv.isRunning()).isFalse();
        fx.release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        closer.shutdown();
        assertThat(tcp.get(10, TimeUnit.SECONDS).status()).as("in-flight TCP request drained").isEqualTo(250);
        assertThat(udp.get(10, TimeUnit.SECONDS).status()).as("in-flight UDP request drained").isEqualTo(250);
        srv.close(); // idempotent
        assertThatThrownBy(() -> client.send(address, echo(), Transport.TCP, Duration.ofSeconds(5)).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RaidaTransportException.class);
        client.close();
        assertThat(closer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        // every socket released: the port can be bound again for TCP and UDP
        try (ServerSocket ss = new ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(ds.getLocalPort()).isEqualTo(port);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Thread> left = TransportTestSupport.newThreads(before);
        left.removeIf(this::isSharedLibraryThread);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
            left = TransportTestSupport.newThreads(before);
            left.removeIf(this::isSharedLibraryThread);
        }
        assertThat(left).as("threads left after close: %s", TransportTestSupport.names(left)).isEmpty();
    }

    @Test
    void closeWithIdleAndHalfOpenConnectionsIsPrompt() throws Exception {
        RaidaServer srv = start(options().timeouts(t -> t.readTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofSeconds(2)))
                .build());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                held.add(s);
                s.connect(address, 5_000);
            }
            await("connections open", 10_000, () -> core.stats().activeConnections() == 20);
            long t0 = System.nanoTime();
            srv.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
            for (Socket s : held) {
                assertThat(closedByPeerWithin(s, 5_000)).isTrue();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(core.stats().activeConnections()).isZero();
    }

    // ================================================================ client behaviour

    @Test
    void clientTimesOutWhenNothingAnswers() throws Exception {
        try (DatagramSocket deaf = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             RaidaClient c = newClient(ClientOptions.builder().timeout(Duration.ofMillis(300)).build())) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), deaf.getLocalPort());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.send(to, echo(), Transport.UDP).join())
                    .hasCauseInstanceOf(RaidaTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 10_000L);
        }
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RaidaClient c = newClient(ClientOptions.defaults())) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), mute.getLocalPort());
            assertThatThrownBy(() -> c.send(to, echo(), Transport.TCP, Duration.ofMillis(300)).join())
                    .hasCauseInstanceOf(RaidaTimeoutException.class);
        }
    }

    /**
     * wire-format §9.3: after a 48-byte request an early header error may come with either header
     * size; a server that uses 48 bytes must be read whole, not cut at 32 + size.
     */
    @Test
    void clientReadsAnEarlyErrorWithA48ByteHeaderWhole() throws Exception {
        ClientRequest req = ofType(RequestBuilder.command(RAIDA, 0, 0), 4).build();
        assertThat(req.headerSize()).isEqualTo(48);
        byte[] reply = new byte[48];
        reply[0] = (byte) RAIDA;
        reply[2] = 4; // ERROR_INVALID_SHARD_ID, size 0
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RaidaClient c = newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10)).build())) {
            ExecutorService one = Executors.newSingleThreadExecutor();
            try {
                Future<?> served = one.submit(() -> {
                    try (Socket s = peer.accept()) {
                        s.setSoTimeout(10_000);
                        s.getInputStream().readNBytes(req.frame().length);
                        s.getOutputStream().write(reply);
                        s.shutdownOutput();
                        s.getInputStream().readAllBytes();
                    }
                    return null;
                });
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
                RaidaResponse r = c.send(to, req, Transport.TCP).get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(4);
                assertThat(r.header().size()).as("the whole 48-byte header was read").isEqualTo(48);
                served.get(10, TimeUnit.SECONDS);
            } finally {
                one.shutdownNow();
                assertThat(one.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void clientReportsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (RaidaClient c = newClient(ClientOptions.defaults())) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            assertThatThrownBy(() -> c.send(to, echo(), Transport.TCP).join())
                    .hasCauseInstanceOf(RaidaTransportException.class);
        }
    }

    /**
     * {@code ioThreads(3)} must spread connections over three I/O loops, not just start three
     * threads: each loop's counter in the stats shows it served requests. With the loop count forced
     * to 1 the second and third counters stay 0 and this fails.
     */
    @Test
    void ioThreadsSpreadTcpConnectionsOverEveryLoop() throws Exception {
        int loops = 3;
        start(options().ioThreads(loops).build());
        ServerStats s = core.stats();
        for (int i = 0; i < 60; i++) {
            assertEchoWorks(Transport.TCP);
        }
        long total = 0;
        for (int loop = 0; loop < loops; loop++) {
            assertThat(s.loopActivity(loop)).as("requests served by I/O loop %d", loop).isPositive();
            total += s.loopActivity(loop);
        }
        assertThat(s.loopActivity(loops)).as("no loop beyond the configured ones").isZero();
        assertThat(total).isGreaterThanOrEqualTo(60);
    }

    /**
     * Issue 11: with 2 I/O threads each loop serves traffic of both protocols, not only the one that
     * happens to hold the socket: datagrams from 48 client sockets (the kernel spreads a port's
     * socket group by source address and port) and 48 connections, counted per loop in the stats.
     * With the loop count forced to 1, or one UDP socket read by one loop, a loop's count of one
     * protocol stays 0 and this fails.
     */
    @Test
    void withTwoIoThreadsEachLoopServesUdpAndTcp() throws Exception {
        int loops = 2;
        int clients = 48;
        start(options().ioThreads(loops).build());
        ServerStats s = core.stats();
        long[] before = loopActivity(s, loops);
        for (int i = 0; i < clients; i++) {
            try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                ClientRequest req = echo();
                byte[] reply = TransportTestSupport.udp(d, address, req.frame(), 10_000);
                assertThat(reply).as("UDP reply to client socket %d", i).isNotNull();
                assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(250);
            }
        }
        long[] afterUdp = loopActivity(s, loops);
        for (int i = 0; i < clients; i++) {
            ClientRequest req = echo();
            byte[] reply = socketExchange(req.frame(), Transport.TCP);
            assertThat(reply).as("TCP reply on connection %d", i).isNotNull();
            assertThat(ResponseParser.parse(req, reply).status()).isEqualTo(250);
        }
        long[] afterTcp = loopActivity(s, loops);
        for (int loop = 0; loop < loops; loop++) {
            assertThat(afterUdp[loop] - before[loop]).as("datagrams served by I/O loop %d", loop).isPositive();
            assertThat(afterTcp[loop] - afterUdp[loop]).as("connections served by I/O loop %d", loop).isPositive();
        }
        assertThat(afterTcp[0] + afterTcp[1] - before[0] - before[1]).isEqualTo(2L * clients);
        assertThat(s.loopActivity(loops)).as("no loop beyond the configured ones").isZero();
    }

    private static long[] loopActivity(ServerStats s, int loops) {
        long[] a = new long[loops];
        for (int i = 0; i < loops; i++) {
            a[i] = s.loopActivity(i);
        }
        return a;
    }

    /**
     * Issue 21 bug 4: a UDP reply must leave from the address its request came to. A socket bound
     * to one address guarantees it: here a secondary loopback address (Linux answers all of 127/8).
     */
    @Test
    void aUdpReplyLeavesFromTheAddressTheRequestCameTo() throws Exception {
        InetAddress secondary = InetAddress.getByName("127.0.0.2");
        start(options().host("127.0.0.2").build());
        address = new InetSocketAddress(secondary, server.port());
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(10_000);
            byte[] frame = echo().frame();
            s.send(new java.net.DatagramPacket(frame, frame.length, address));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[2_048], 2_048);
            s.receive(reply);
            assertThat(reply.getAddress()).as("reply source").isEqualTo(secondary);
            assertThat(reply.getPort()).isEqualTo(server.port());
            assertThat(reply.getData()[2] & 0xFF).isEqualTo(250);
        }
        assertEchoWorksOnBoth();
    }

    /**
     * Issue 21 bug 4, the wildcard: an unconnected UDP socket on 0.0.0.0 would answer a datagram to
     * 127.0.0.2 from 127.0.0.1 (dropped by every client), so a wildcard UDP bind is refused with a
     * message that says what to do; the wildcard with TCP only serves every address.
     */
    @Test
    void aWildcardUdpBindIsRefusedAndTheWildcardServesTcpOnly() throws Exception {
        RaidaServer refused = track(newServer(fx.newCore(4_096), options().host("0.0.0.0").build()));
        assertThatThrownBy(refused::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wildcard").hasMessageContaining("udp(false)");
        assertThat(refused.isRunning()).isFalse();
        start(options().host("0.0.0.0").udp(false).build());
        address = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), server.port());
        assertEchoWorks(Transport.TCP);
    }

    /** Raw sockets: the whole TCP frame in one write with the connect, read to EOF; a plain datagram socket. */
    @Override
    protected byte[] rawExchange(byte[] frame, Transport transport) throws IOException {
        return socketExchange(frame, transport);
    }

    // ================================================================ client lifecycle over real sockets (issue 21)

    /**
     * Issue 21, bug 5: a TCP call its caller ends (cancel, completeExceptionally, orTimeout) closes
     * its connection at once, not at its 30 s deadline.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cancel", "completeExceptionally", "orTimeout"})
    void aTcpCallEndedByItsCallerClosesItsConnectionAtOnce(String ending) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RaidaClient c = track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(30))
                    .connectTimeout(Duration.ofSeconds(30)).build()));
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            List<CompletableFuture<RaidaResponse>> calls = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            silent.setSoTimeout(10_000);
            try {
                for (int i = 0; i < 20; i++) {
                    calls.add(c.send(to, echo(), Transport.TCP));
                }
                for (int i = 0; i < 20; i++) {
                    Socket s = silent.accept();
                    accepted.add(s);
                    s.getInputStream().readNBytes(echo().length()); // the request arrived: the call is connected
                }
                for (CompletableFuture<RaidaResponse> f : calls) {
                    switch (ending) {
                        case "cancel" -> f.cancel(false);
                        case "completeExceptionally" -> f.completeExceptionally(new IllegalStateException("caller"));
                        default -> f.orTimeout(1, TimeUnit.MILLISECONDS);
                    }
                }
                for (Socket s : accepted) {
                    assertThat(closedByPeerWithin(s, 3_000)).as("closed at once, not at the deadline").isTrue();
                }
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
    /** Issue 15 (5): at most maxTcpConnectionsPerRaida connections at once; the next waits for one to end. */
    @Test
    void tcpConnectionsToOneRaidaAreLimited() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // one I/O thread: with several, f2 may take the connection before f1, and cancelling a
            // waiting f1 rightly frees nothing
            RaidaClient c = track(newClient(ClientOptions.builder().maxTcpConnectionsPerRaida(1).ioThreads(1)
                    .timeout(Duration.ofSeconds(30)).build()));
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            CompletableFuture<RaidaResponse> f1 = c.send(to, echo(), Transport.TCP);
            CompletableFuture<RaidaResponse> f2 = c.send(to, echo(), Transport.TCP);
            silent.setSoTimeout(10_000);
            try (Socket s1 = silent.accept()) {
                // a call waiting for a connection still ends at its own deadline
                CompletableFuture<RaidaResponse> f3 = c.send(to, echo(), Transport.TCP, Duration.ofMillis(300));
                assertThatThrownBy(() -> f3.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RaidaTimeoutException.class);
                silent.setSoTimeout(700);
                assertThatThrownBy(silent::accept).as("no second connection while the first is open")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
                f1.cancel(false);
                silent.setSoTimeout(10_000);
                try (Socket s2 = silent.accept()) {
                    assertThat(s2.getInputStream().readNBytes(echo().length())).hasSize(echo().length());
                    assertThat(f2.isDone()).isFalse();
                }
            }
        }
    }

    // ================================================================ resource exhaustion (issue 10)

    /**
     * Large bodies beyond the request memory budget are refused at their header with 254; when the
     * budget is full, partial bodies that stalled are shed first; afterwards the budget is empty and a
     * full body is served again. Small requests keep being served throughout.
     */
    @Test
    void bodiesBeyondTheRequestBudgetAreRefusedWith254AndStalledOnesAreShed() throws Exception {
        start(fx.newCore(65_535), options().connectionLimits(c -> c.requestMemoryBudget(150_000))
                .timeouts(t -> t.readTimeout(Duration.ofSeconds(20))
                .idleTimeout(Duration.ofSeconds(20))).build());
        byte[] payload = randomBytes(60_000);
        ClientRequest big = command(REVERSE, payload);
        byte[] frame = big.frame();
        int body = frame.length - big.headerSize();
        byte[] partial = java.util.Arrays.copyOf(frame, big.headerSize() + 30_000);
        try (Socket a = new Socket(); Socket b = new Socket()) {
            for (Socket s : new Socket[] {a, b}) {
                s.connect(address, 5_000);
                TransportTestSupport.writeAll(s, partial);
            }
            await("both bodies reserved", 10_000, () -> core.stats().bufferedRequestBytes() == 2L * body);
            byte[] refused = TransportTestSupport.tcpInChunks(address, frame, new int[] {frame.length}, 0);
            assertThat(refused).as("header-only reply").hasSize(32);
            assertThat(status(refused)).as("a third large body does not fit").isEqualTo(254);
            assertThat(core.stats().rejectedMemory()).isGreaterThanOrEqualTo(1);
            assertEchoWorksOnBoth();

            Thread.sleep(400); // both partial bodies have now stalled longer than the stall time
            TransportTestSupport.tcpInChunks(address, frame, new int[] {frame.length}, 0);
            assertThat(closedByPeerWithin(a, 10_000)).as("stalled body shed").isTrue();
            assertThat(closedByPeerWithin(b, 10_000)).as("stalled body shed").isTrue();
        }
        await("budget empty", 10_000, () -> core.stats().bufferedRequestBytes() == 0);
        assertThat(core.stats().shedStalled()).isEqualTo(2);
        assertThat(core.stats().timeouts()).as("shed, not timed out").isZero();
        RaidaResponse ok = send(big, Transport.TCP);
        assertThat(ok.payload()).isEqualTo(reverse(payload));
        assertThat(core.stats().bufferedRequestBytes()).isZero();
    }

    /**
     * A {@link VirtualMachineError} on an I/O thread (an {@link InternalError} thrown by a non-blocking
     * handler, which runs there) fails the server as a whole: its sockets are closed, so both ports
     * can be bound again, it is FAILED and its listener hears of it; it never stays bound answering
     * nothing.
     */
    @Test
    void fatalErrorOnAnIoThreadFailsTheServerAndReleasesItsPort() throws Exception {
        ServerCore c = fx.newCore(4_096);
        c.registry().registerNonBlocking(GROUP, FATAL, req -> {
            throw new InternalError("simulated fatal error on an I/O thread");
        });
        start(c, options().build());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        server.onFailure(failed::complete);
        int port = server.port();
        assertEchoWorksOnBoth();

        client.exchange(address, command(FATAL, new byte[0]).frame(), Transport.TCP, Duration.ofSeconds(10));
        assertThat(failed.get(15, TimeUnit.SECONDS)).isInstanceOf(InternalError.class);
        assertThat(server.state()).isEqualTo(ServerState.FAILED);
        assertThat(server.isRunning()).isFalse();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(lo, port));
            udp.bind(new InetSocketAddress(lo, port));
        }
    }

    // ================================================================ per-source limits (issue 20, item 5)
    // Loopback has all of 127.0.0.0/8: the abusive source is 127.0.0.2, the good one 127.0.0.1.

    private static final String ABUSIVE = "127.0.0.2";

    /** One TCP echo from {@code from}; true if answered 250, false if the server closed it unanswered. */
    private boolean tcpEchoFrom(String from) throws IOException {
        ClientRequest req = echo();
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            TransportTestSupport.writeAll(s, req.frame());
            s.shutdownOutput();
            byte[] reply = TransportTestSupport.readToEof(s.getInputStream());
            return reply.length > 0 && ResponseParser.parse(req, reply).status() == 250;
        } catch (java.net.SocketException refusedAndReset) {
            return false;
        }
    }

    private static long secondsSince(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + 1;
    }

    @Test
    void aSourceOverItsConnectionRateIsRefusedAndCountedWhileAnotherIsServed() throws Exception {
        start(options().sourceLimits(s -> s.limitLoopbackSources(true).connectionRatePerSource(1, 5)
                .maxConnectionsPerSource(0)).build());
        long t0 = System.nanoTime();
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 300 && refused < 3; i++) {
            if (tcpEchoFrom(ABUSIVE)) {
                served++;
            } else {
                refused++;
            }
        }
        assertThat(refused).as("connections over the rate are closed unanswered").isEqualTo(3);
        assertThat(served).as("the burst of 5 and what 1/s refilled meanwhile")
                .isBetween(5, 5 + (int) secondsSince(t0));
        int counted = refused;
        await("refusals counted", 10_000, () -> core.stats().rateLimitedConnections() == counted);
        for (int i = 0; i < 3; i++) {
            assertThat(tcpEchoFrom("127.0.0.1")).as("the good source, call %d", i).isTrue();
        }
        assertEchoWorks(Transport.TCP);
        assertThat(core.stats().sourceLimitedConnections()).isZero();
        assertThat(core.stats().rejectedConnections()).as("not the global connection limit").isZero();
    }

    @Test
    void aSourceAtItsOpenConnectionLimitIsRefusedWhileAnotherIsServed() throws Exception {
        start(options().sourceLimits(s -> s.limitLoopbackSources(true).maxConnectionsPerSource(3))
                .timeouts(t -> t.readTimeout(Duration.ofSeconds(30))
                .idleTimeout(Duration.ofSeconds(60))).build());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getByName(ABUSIVE), 0));
                s.connect(address, 5_000);
            }
            await("3 connections open", 10_000, () -> core.stats().activeConnections() == 3);
            try (Socket extra = new Socket()) {
                extra.bind(new InetSocketAddress(InetAddress.getByName(ABUSIVE), 0));
                extra.connect(address, 5_000);
                assertThat(closedByPeerWithin(extra, 5_000)).as("a fourth from the same source is closed").isTrue();
            }
            await("refusal counted", 10_000, () -> core.stats().sourceLimitedConnections() == 1);
            for (int i = 0; i < 5; i++) {
                assertThat(tcpEchoFrom("127.0.0.1")).as("the good source, call %d", i).isTrue();
            }
            assertEchoWorks(Transport.TCP);
            for (Socket s : held) {
                assertThat(closedByPeerWithin(s, 50)).as("held connections stay open").isFalse();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        await("held connections closed", 10_000, () -> core.stats().activeConnections() == 0);
        assertThat(tcpEchoFrom(ABUSIVE)).as("closing released the source's count").isTrue();
        assertThat(core.stats().sourceLimitedConnections()).isEqualTo(1);
        assertThat(core.stats().rateLimitedConnections()).isZero();
    }

    @Test
    void aSourceOverItsUdpRateIsDroppedWithoutReplyWhileAnotherIsServedAndEchoStaysFree() throws Exception {
        start(options().sourceLimits(s -> s.limitLoopbackSources(true).datagramRatePerSource(1, 5)).build());
        try (DatagramSocket bad = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ABUSIVE), 0));
             DatagramSocket good = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            List<ClientRequest> sent = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                ClientRequest req = command(REVERSE, randomBytes(8)); // a worker's command: costs work
                sent.add(req);
                byte[] f = req.frame();
                bad.send(new java.net.DatagramPacket(f, f.length, address));
            }
            int answered = 0;
            byte[] reply;
            while ((reply = TransportTestSupport.receive(bad, 2_000)) != null) {
                byte[] r = reply;
                assertThat(sent.stream().anyMatch(q -> q.matches(r, 0, r.length))).as("a reply to one of ours")
                        .isTrue();
                assertThat(status(r)).isEqualTo(250);
                answered++;
            }
            assertThat(answered).as("the burst of 5 and what 1/s refilled meanwhile")
                    .isBetween(5, 5 + (int) secondsSince(t0));
            int dropped = 40 - answered;
            await("drops counted", 10_000, () -> core.stats().rateLimitedDatagrams() == dropped);
            ClientRequest echo = echo();
            byte[] echoReply = TransportTestSupport.udp(bad, address, echo.frame(), 5_000);
            assertThat(echoReply).as("a type-0 echo costs no work and stays free").isNotNull();
            assertThat(ResponseParser.parse(echo, echoReply).status()).isEqualTo(250);
            for (int i = 0; i < 5; i++) {
                byte[] payload = randomBytes(8);
                ClientRequest req = command(REVERSE, payload);
                byte[] r = TransportTestSupport.udp(good, address, req.frame(), 5_000);
                assertThat(r).as("the good source, call %d", i).isNotNull();
                assertThat(ResponseParser.parse(req, r).payload()).isEqualTo(reverse(payload));
            }
        }
        assertEchoWorks(Transport.UDP);
        assertThat(core.stats().rateLimitedConnections() + core.stats().sourceLimitedConnections()).isZero();
    }

    /**
     * A burst of 5 000 small datagrams that arrives while the I/O thread is busy waits in the
     * socket's kernel buffer and is answered in full afterwards: every socket transport asks for
     * the same receive buffer ({@code UdpSocketBuffers}). With a 1 MiB buffer about half of such a
     * burst is dropped by the kernel. Needs {@code net.core.rmem_max} of at least 4 MiB (the
     * kernel silently caps the request otherwise), which the test checks first.
     */
    @Test
    void aUdpBurstWhileTheLoopIsBusyIsKeptByTheKernelAndAnsweredInFull() throws Exception {
        int burst = 5_000;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            probe.setReceiveBufferSize(4 * 1024 * 1024);
            org.junit.jupiter.api.Assumptions.assumeTrue(probe.getReceiveBufferSize() >= 4 * 1024 * 1024,
                    "net.core.rmem_max caps UDP receive buffers below 4 MiB on this host");
        }
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch free = new java.util.concurrent.CountDownLatch(1);
        ServerCore c = fx.newCore(4_096);
        c.registry().registerNonBlocking(GROUP, HOLD_LOOP, req -> {
            busy.countDown(); // inline: this runs on the I/O thread, which reads nothing meanwhile
            try {
                free.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return io.raida.protocol.server.CommandResult.success(new byte[0]);
        });
        start(c, options().ioThreads(1).build());
        try (DatagramSocket holder = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sender.setReceiveBufferSize(4 * 1024 * 1024);
            byte[] hold = command(HOLD_LOOP, new byte[0]).frame();
            holder.send(new java.net.DatagramPacket(hold, hold.length, address));
            assertThat(busy.await(15, TimeUnit.SECONDS)).as("the I/O thread is held").isTrue();
            for (int i = 0; i < burst; i++) {
                byte[] frame = echo().frame();
                sender.send(new java.net.DatagramPacket(frame, frame.length, address));
            }
            free.countDown();
            int answered = 0;
            while (answered < burst && TransportTestSupport.receive(sender, 5_000) != null) {
                answered++;
            }
            assertThat(answered).as("replies to a burst of %d datagrams sent while the loop was busy", burst)
                    .isGreaterThanOrEqualTo(burst * 9 / 10);
        } finally {
            free.countDown();
        }
    }
}
