package io.raida.protocol.transport;

import static io.raida.protocol.transport.TransportTestSupport.ADMIN_KEY;
import static io.raida.protocol.transport.TransportTestSupport.BIG;
import static io.raida.protocol.transport.TransportTestSupport.BLOCK;
import static io.raida.protocol.transport.TransportTestSupport.COIN_ID;
import static io.raida.protocol.transport.TransportTestSupport.DEN1;
import static io.raida.protocol.transport.TransportTestSupport.GROUP;
import static io.raida.protocol.transport.TransportTestSupport.RAIDA;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE_INLINE;
import static io.raida.protocol.transport.TransportTestSupport.SN1;
import static io.raida.protocol.transport.TransportTestSupport.THROW;
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

import io.raida.protocol.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.DatagramInterceptor;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.ServerCore;
import io.raida.protocol.ServerStats;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport suite every server/client transport must pass (grpc-java style): extend it and
 * implement {@link #newServer} and {@link #newClient}. Real sockets on 127.0.0.1, ephemeral ports,
 * real keys. Only the {@link RaidaServer}/{@link RaidaClient}/{@link ServerOptions}/
 * {@link ClientOptions} abstractions are used. Timeouts are generous: it must pass on a loaded
 * 2-core machine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractTransportTest {

    /** A new, not yet started server for {@code core}. */
    protected abstract RaidaServer newServer(ServerCore core, ServerOptions options);

    /** A new client. */
    protected abstract RaidaClient newClient(ClientOptions options);

    protected final TransportTestSupport fx = TransportTestSupport.create();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    protected ServerCore core;
    protected RaidaServer server;
    protected RaidaClient client;
    protected InetSocketAddress address;

    /**
     * Threads that may outlive {@code close()} without being a leak (e.g. a library's global executor
     * that ends by itself later). None by default.
     */
    protected boolean isSharedLibraryThread(Thread t) {
        return false;
    }

    /** Options most tests use: loopback, ephemeral port, a few workers. */
    protected ServerOptions.Builder options() {
        return ServerOptions.builder().host("127.0.0.1").port(0).workerThreads(4);
    }

    /** Starts a server (and a default client) with these options and a fresh core. */
    protected RaidaServer start(ServerOptions options) throws IOException {
        return start(fx.newCore(4_096), options);
    }

    protected RaidaServer start(ServerCore c, ServerOptions options) throws IOException {
        core = c;
        server = track(newServer(c, options));
        server.start();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        client = track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10)).build()));
        return server;
    }

    protected <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    @AfterEach
    void closeResources() throws Exception {
        fx.release.countDown();
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    protected RaidaResponse send(ClientRequest request, Transport transport) {
        return client.send(address, request, transport).join();
    }

    protected byte[] exchange(byte[] frame, Transport transport) {
        return client.exchange(address, frame, transport, Duration.ofSeconds(10)).join();
    }

    protected void assertEchoWorks(Transport transport) {
        ClientRequest r = echo();
        RaidaResponse resp = send(r, transport);
        assertThat(resp.status()).as("echo over %s", transport).isEqualTo(250);
        assertThat(resp.header().echo()).isEqualTo(r.echo());
    }

    protected void assertEchoWorksOnBoth() {
        assertEchoWorks(Transport.UDP);
        assertEchoWorks(Transport.TCP);
    }

    // ================================================================ round trips

    static Stream<Arguments> transportsAndTypes() {
        List<Arguments> a = new ArrayList<>();
        for (Transport t : Transport.values()) {
            for (int type : new int[] {0, 1, 2, 4, 5}) {
                a.add(Arguments.of(t, type));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} type {1}")
    @MethodSource("transportsAndTypes")
    void roundTripEveryEncryptionType(Transport transport, int type) throws IOException {
        start(options().build());
        byte[] payload = randomBytes(45);
        for (int code : new int[] {REVERSE, REVERSE_INLINE}) {
            ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP, code), type).payload(payload).build();
            RaidaResponse r = send(req, transport);
            assertThat(r.status()).isEqualTo(250);
            assertThat(r.payload()).isEqualTo(reverse(payload));
            assertThat(r.header().size()).isEqualTo(type >= 4 ? 48 : 32);
        }
        ClientRequest version = ofType(RequestBuilder.command(RAIDA, 0, 1), type).build();
        assertThat(new String(send(version, transport).require().payload(), StandardCharsets.US_ASCII))
                .isEqualTo("20261121");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void emptyType0EchoIsAnswered(Transport transport) throws IOException {
        start(options().build());
        ClientRequest req = RequestBuilder.command(RAIDA, 0, 0).emptyBody().build();
        RaidaResponse r = send(req, transport);
        assertThat(r.status()).isEqualTo(250);
        assertThat(r.header().echo()).isEqualTo(req.echo());
    }

    @Test
    void severalIoThreadsServeBothTransports() throws IOException {
        start(options().ioThreads(3).build());
        for (int i = 0; i < 30; i++) {
            assertEchoWorksOnBoth();
        }
        byte[] p = randomBytes(100);
        assertThat(send(command(REVERSE, p), Transport.TCP).require().payload()).isEqualTo(reverse(p));
    }

    // ================================================================ errors on the wire

    /** Malformed frames and the status each must be answered with (wire-format §10, §12). */
    protected List<Object[]> errorCases() {
        byte[] echo = echo().frame();
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {"routing byte", with(echo, 0, 2), 255});
        c.add(new Object[] {"split id", with(echo, 1, 1), 2});
        c.add(new Object[] {"raida id", with(echo, 2, RAIDA + 1), 3});
        c.add(new Object[] {"command group 16", with(echo, 4, 16), 5});
        c.add(new Object[] {"shard 4", with(echo, 3, 4), 4});
        c.add(new Object[] {"unknown command", with(echo, 5, 99), 6});
        c.add(new Object[] {"coin id", with(echo, 7, COIN_ID + 1), 7});
        byte[] type3 = new byte[48];
        System.arraycopy(echo, 0, type3, 0, 16);
        type3[16] = 3;
        c.add(new Object[] {"reserved encryption type 3", type3, 27});
        c.add(new Object[] {"type 1 unknown coin",
                RequestBuilder.command(RAIDA, 0, 0).encryptWithCoin(DEN1, 77, randomBytes(16)).build().frame(), 34});
        byte[] otherLocker = randomBytes(16);
        java.util.Arrays.fill(otherLocker, 12, 16, (byte) 0xFF);
        c.add(new Object[] {"type 2 unknown locker",
                RequestBuilder.command(RAIDA, 0, 0).encryptWithLocker(otherLocker).build().frame(), 34});
        c.add(new Object[] {"type 4 unknown coin",
                RequestBuilder.command(RAIDA, 0, 0).authenticateWithCoin(DEN1, 77, randomBytes(16)).build().frame(), 25});
        c.add(new Object[] {"type 5 unknown second coin", RequestBuilder.command(RAIDA, 0, 0)
                .authenticateWithCoins(DEN1, SN1, TransportTestSupport.AN1, 3, 99, randomBytes(16)).build().frame(), 25});
        c.add(new Object[] {"bad terminator", with(echo, echo.length - 1, 0x3F), 33});
        c.add(new Object[] {"bad challenge CRC", with(echo, 32 + 3, echo[35] ^ 1), 37});
        byte[] shortBody = new byte[34];
        System.arraycopy(echo, 0, shortBody, 0, 32);
        Bytes.putU16(shortBody, 22, 2);
        Bytes.putTerminator(shortBody, 32);
        c.add(new Object[] {"body shorter than a challenge", shortBody, 16});
        byte[] t4 = RequestBuilder.command(RAIDA, 0, 0).authenticateWithCoin(DEN1, SN1, TransportTestSupport.AN1)
                .payload(randomBytes(20)).build().frame();
        byte[] t4Empty = java.util.Arrays.copyOf(t4, 48);
        Bytes.putU16(t4Empty, 17, 0);
        c.add(new Object[] {"encrypted type 4 with an empty body (D-11)", t4Empty, 16});
        c.add(new Object[] {"type 4 ciphertext altered", with(t4, 50, t4[50] ^ 0x20), 204});
        c.add(new Object[] {"handler throws", command(THROW, new byte[0]).frame(), 252});
        c.add(new Object[] {"show_stats wrong admin key",
                RequestBuilder.command(RAIDA, 0, 2).payload(randomBytes(16)).build().frame(), 38});
        byte[] big = RequestBuilder.command(RAIDA, GROUP, REVERSE).payload(randomBytes(5_000)).build().frame();
        c.add(new Object[] {"body above maxBodySize", big, 16});
        return c;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyErrorStatusIsAnswered(Transport transport) throws IOException {
        start(options().build());
        for (Object[] c : errorCases()) {
            byte[] reply = exchange((byte[]) c[1], transport);
            assertThat(reply.length).as("%s: reply length", c[0]).isGreaterThanOrEqualTo(32);
            assertThat(status(reply)).as("%s over %s: status", c[0], transport).isEqualTo((int) c[2]);
            assertThat(reply[0]).as("%s: raida id", c[0]).isEqualTo((byte) RAIDA);
            assertThat(ResponseHeader.headerSizeOf(reply.length, Bytes.u24(reply, 9))).isIn(32, 48);
        }
        assertThat(core.stats().handlerFailures()).isGreaterThanOrEqualTo(1);
        assertEchoWorksOnBoth();
    }

    @Test
    void adminStatsAnswerWithTheRightKey() throws IOException {
        start(options().build());
        assertEchoWorksOnBoth();
        RaidaResponse r = send(RequestBuilder.command(RAIDA, 0, 2).payload(ADMIN_KEY).build(), Transport.TCP);
        assertThat(r.status()).isEqualTo(250);
        assertThat(r.payload()).hasSize(32);
    }

    @Test
    void tooShortDatagramsAreDroppedAndCounted() throws IOException {
        start(options().build());
        long drops = core.stats().drops();
        assertThatThrownBy(() -> client.exchange(address, new byte[10], Transport.UDP, Duration.ofMillis(400)).join())
                .hasCauseInstanceOf(RaidaTimeoutException.class);
        byte[] modern = new byte[40];
        modern[0] = 1;
        modern[2] = RAIDA;
        modern[16] = 4;
        assertThatThrownBy(() -> client.exchange(address, modern, Transport.UDP, Duration.ofMillis(400)).join())
                .hasCauseInstanceOf(RaidaTimeoutException.class);
        assertThat(core.stats().drops()).isGreaterThanOrEqualTo(drops + 2);
        assertEchoWorks(Transport.UDP);
    }

    @Test
    void incompleteTcpRequestGetsNoReplyAndIsClosedAtTheDeadline() throws Exception {
        start(options().readTimeout(Duration.ofMillis(500)).build());
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
            ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).payload(payload).build();
            byte[] oneByOne = TransportTestSupport.tcpInChunks(address, req.frame(), new int[] {1}, 1);
            assertThat(ResponseParser.parse(req, oneByOne).payload()).isEqualTo(reverse(payload));
            byte[] odd = TransportTestSupport.tcpInChunks(address, req.frame(), new int[] {3, 7, 16, 1, 5, 13}, 2);
            assertThat(ResponseParser.parse(req, odd).payload()).isEqualTo(reverse(payload));
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
    void largeTcpBodiesAndRepliesRoundTrip() throws IOException {
        start(fx.newCore(65_535), options().build());
        byte[] payload = randomBytes(60_000);
        for (int type : new int[] {0, 4}) {
            ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).payload(payload).build();
            assertThat(send(req, Transport.TCP).require().payload()).isEqualTo(reverse(payload));
        }
        RaidaResponse big = send(command(BIG, TransportTestSupport.size(1_000_000)), Transport.TCP).require();
        assertThat(big.payload()).hasSize(1_000_000);
        assertThat(big.payload()[999_999]).isEqualTo((byte) 999_999);
    }

    @Test
    void oversizeUdpDatagramsAreAnsweredWith16() throws IOException {
        start(options().udpPayloadThreshold(200).build());
        // exactly at the threshold: served
        ClientRequest fits = command(REVERSE_INLINE, randomBytes(200 - 32 - 18));
        assertThat(fits.length()).isEqualTo(200);
        assertThat(send(fits, Transport.UDP).status()).isEqualTo(250);
        // one byte more: truncated on receive, detected, answered 16 (D-22)
        ClientRequest over = command(REVERSE_INLINE, randomBytes(201 - 32 - 18));
        assertThat(status(exchange(over.frame(), Transport.UDP))).isEqualTo(16);
        ClientRequest wayOver = command(REVERSE_INLINE, randomBytes(1_500));
        assertThat(status(exchange(wayOver.frame(), Transport.UDP))).isEqualTo(16);
        // the same request over TCP is fine
        assertThat(send(wayOver, Transport.TCP).status()).isEqualTo(250);
        // a reply too large for one datagram is refused with 16, not silently lost (D-22)
        assertThat(send(command(BIG, TransportTestSupport.size(70_000)), Transport.UDP).status()).isEqualTo(16);
    }

    // ================================================================ concurrency and volume

    @Test
    void concurrentClientsGetTheirOwnReplies() throws Exception {
        start(options().build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int id = t;
                results.add(pool.submit(() -> {
                    try (RaidaClient own = newClient(ClientOptions.builder().timeout(Duration.ofSeconds(15)).build())) {
                        int ok = 0;
                        for (int i = 0; i < 60; i++) {
                            int type = new int[] {0, 1, 2, 4, 5}[i % 5];
                            Transport tr = (i + id) % 2 == 0 ? Transport.UDP : Transport.TCP;
                            RaidaClient c = i % 3 == 0 ? client : own;
                            byte[] p = randomBytes(1 + i);
                            ClientRequest req = ofType(RequestBuilder.command(RAIDA, GROUP,
                                    i % 2 == 0 ? REVERSE : REVERSE_INLINE), type).payload(p).build();
                            RaidaResponse r = c.send(address, req, tr).join();
                            assertThat(r.payload()).isEqualTo(reverse(p));
                            ok++;
                        }
                        return ok;
                    }
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(90, TimeUnit.SECONDS)).isEqualTo(60);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void manyUdpRequestsInFlightOnOneClient() throws IOException {
        start(options().build());
        List<CompletableFuture<RaidaResponse>> fs = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] p = randomBytes(8 + i % 50);
            payloads.add(p);
            fs.add(client.send(address, command(i % 2 == 0 ? REVERSE : REVERSE_INLINE, p), Transport.UDP));
        }
        for (int i = 0; i < fs.size(); i++) {
            assertThat(fs.get(i).join().payload()).isEqualTo(reverse(payloads.get(i)));
        }
    }

    /**
     * Type 4/5 replies carry no signature, only the echo: requests in flight to one RAIDA with the
     * same echo (here all of them, under one key) must still each get their own reply, not another's
     * that would verify and decrypt just as well.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void typeFourAndFiveRequestsWithTheSameEchoInFlightGetTheirOwnReplies(int type) throws Exception {
        start(options().build());
        List<byte[]> payloads = new ArrayList<>();
        List<CompletableFuture<RaidaResponse>> replies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] p = randomBytes(6 + i % 20);
            payloads.add(p);
            ClientRequest r = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type).echo(0x5A5A).payload(p).build();
            replies.add(client.send(address, r, Transport.UDP));
        }
        Set<Integer> echoes = new HashSet<>();
        for (int i = 0; i < replies.size(); i++) {
            RaidaResponse resp = replies.get(i).get(30, TimeUnit.SECONDS);
            assertThat(resp.status()).isEqualTo(250);
            assertThat(resp.payload()).as("reply %d", i).isEqualTo(reverse(payloads.get(i)));
            echoes.add(resp.header().echo());
        }
        assertThat(echoes).as("echoes the client used").hasSizeGreaterThan(1);
    }

    /**
     * A cancelled call's echo stays reserved while the server may still answer it (issue 21, bug 2):
     * a newer request with that echo is sent with another one and gets its own reply.
     */
    @Test
    void aCancelledUdpRequestDoesNotTakeTheReplyOfANewerOneWithTheSameEcho() throws Exception {
        start(options().build());
        ClientRequest blocked = ofType(RequestBuilder.command(RAIDA, GROUP, BLOCK), 4).echo(0x0B0B)
                .payload(randomBytes(2)).build();
        CompletableFuture<RaidaResponse> first = client.send(address, blocked, Transport.UDP, Duration.ofSeconds(60));
        await("request reached the handler", 10_000, () -> fx.entered.availablePermits() == 1);
        assertThat(first.cancel(false)).isTrue();
        byte[] p = randomBytes(9);
        ClientRequest second = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), 4).echo(0x0B0B).payload(p).build();
        RaidaResponse r = client.send(address, second, Transport.UDP).get(30, TimeUnit.SECONDS);
        assertThat(r.header().echo()).as("the cancelled call's echo is still reserved").isNotEqualTo(0x0B0B);
        assertThat(r.payload()).isEqualTo(reverse(p));
    }

    @Test
    void tenThousandSequentialTcpRequests() throws IOException {
        start(options().build());
        for (int i = 0; i < 10_000; i++) {
            ClientRequest req = echo();
            RaidaResponse r = send(req, Transport.TCP);
            if (r.status() != 250 || r.header().echo() != req.echo()) {
                throw new AssertionError("request " + i + " answered " + r);
            }
        }
        assertThat(core.stats().tcpRequests()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void fiveHundredConcurrentTcpRequests() throws IOException {
        start(options().build());
        RaidaClient c = track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(30)).build()));
        List<CompletableFuture<RaidaResponse>> fs = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] p = randomBytes(16);
            payloads.add(p);
            fs.add(c.send(address, command(i % 2 == 0 ? REVERSE : REVERSE_INLINE, p), Transport.TCP));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(fs.get(i).join().payload()).as("request %d", i).isEqualTo(reverse(payloads.get(i)));
        }
    }

    // ================================================================ slow, silent and abusive peers

    @Test
    void halfHeaderPeerIsClosedWithinTheReadDeadlineWhileOthersAreServed() throws Exception {
        start(options().readTimeout(Duration.ofMillis(800)).build());
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
        start(options().readTimeout(Duration.ofMillis(500)).build());
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
        start(fx.newCore(4_096), options().idleTimeout(Duration.ofMillis(600)).build());
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
        start(options().readTimeout(Duration.ofMillis(500)).build());
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
        start(options().readTimeout(Duration.ofMillis(1_500)).build());
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
        start(options().maxConnections(4).readTimeout(Duration.ofSeconds(20)).build());
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
        start(options().udpPoolSize(2).workerThreads(1).build());
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
        start(options().udpPoolSize(2).build());
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
    void datagramInterceptorSeesEveryDatagramFirst() throws Exception {
        ServerCore c = fx.newCore(4_096);
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger fromLoopback = new AtomicInteger();
        byte[] voteReply = "vote-reply".getBytes(StandardCharsets.US_ASCII);
        c.addDatagramInterceptor((DatagramInterceptor) (datagram, sender) -> {
            seen.incrementAndGet();
            if (sender != null && sender.getAddress().isLoopbackAddress()) {
                fromLoopback.incrementAndGet();
            }
            if (datagram.remaining() == 497 && datagram.get(datagram.position()) == 0x07) {
                return voteReply;
            }
            return datagram.remaining() == 3 ? DatagramInterceptor.DROP : null;
        });
        start(c, options().build());
        byte[] vote = new byte[497];
        vote[0] = 0x07;
        assertThat(exchange(vote, Transport.UDP)).isEqualTo(voteReply);
        assertEchoWorks(Transport.UDP);
        assertThatThrownBy(() -> client.exchange(address, new byte[3], Transport.UDP, Duration.ofMillis(300)).join())
                .hasCauseInstanceOf(RaidaTimeoutException.class);
        assertThat(seen.get()).isEqualTo(3);
        assertThat(fromLoopback.get()).as("the hook is told the sender").isEqualTo(3);
        assertEchoWorks(Transport.TCP);
        assertThat(seen.get()).as("TCP does not go through the datagram hook").isEqualTo(3);
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

    @ParameterizedTest
    @EnumSource(Transport.class)
    void throwingHandlerIsAnswered252AndTheServerKeepsServing(Transport transport) throws IOException {
        start(options().build());
        for (int i = 0; i < 5; i++) {
            ClientRequest req = command(THROW, randomBytes(4));
            RaidaResponse r = send(req, transport);
            assertThat(r.status()).isEqualTo(StatusCode.ERROR_INTERNAL.code());
            assertThat(r.header().echo()).isEqualTo(req.echo());
            assertEchoWorks(transport);
        }
        assertThat(core.stats().handlerFailures()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void blockedWorkersDoNotStallTheIoThreadAndAFullQueueIsRefused() throws Exception {
        start(options().workerThreads(2).workerQueueCapacity(2).build());
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

    // ================================================================ lifecycle and stats

    @Test
    void statsCountRequestsByTransportAndStatus() throws IOException {
        start(options().build());
        ServerStats s = core.stats();
        for (int i = 0; i < 3; i++) {
            assertEchoWorks(Transport.UDP);
        }
        for (int i = 0; i < 2; i++) {
            assertEchoWorks(Transport.TCP);
        }
        exchange(with(echo().frame(), 2, RAIDA + 1), Transport.TCP);
        assertThat(s.udpRequests()).isEqualTo(3);
        assertThat(s.tcpRequests()).isEqualTo(3);
        assertThat(s.requestsWithStatus(250)).isEqualTo(5);
        assertThat(s.requestsWithStatus(3)).isEqualTo(1);
        long latencies = 0;
        for (int i = 0; i < ServerStats.LATENCY_BUCKETS; i++) {
            latencies += s.latencyBucket(i);
        }
        assertThat(latencies).isEqualTo(6);
        assertThat(server.stats()).isSameAs(s);
    }

    @Test
    void closeDrainsInFlightRequestsAndLeavesNoThreadOrSocket() throws Exception {
        Set<Thread> before = TransportTestSupport.liveThreads();
        RaidaServer srv = start(options().shutdownTimeout(Duration.ofSeconds(10)).build());
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
        RaidaServer srv = start(options().readTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(2))
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
     * A misconfigured client (wrong RAIDA id, coin id or command) gets the status, not a timeout,
     * over UDP too, although early errors carry no echo to match (wire-format §9.3): the reply
     * reaches the single request waiting for that address. Types 0 and 4 (a 32-byte reply to a
     * 48-byte request).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void misconfiguredClientGetsTheEarlyErrorStatus(Transport transport) throws IOException {
        start(options().build());
        RaidaClient c = track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10)).build()));
        List<java.util.function.Supplier<RequestBuilder>> builders = List.of(
                () -> RequestBuilder.command(RAIDA + 1, 0, 0),
                () -> RequestBuilder.command(RAIDA, 0, 0).coinId(COIN_ID + 1),
                () -> RequestBuilder.command(RAIDA, GROUP, 99));
        int[] statuses = {3, 7, 6};
        for (int k = 0; k < statuses.length; k++) {
            int expected = statuses[k];
            for (int type : new int[] {0, 4}) {
                ClientRequest r = ofType(builders.get(k).get(), type).payload(randomBytes(4)).build();
                RaidaResponse resp = c.send(address, r, transport).join();
                assertThat(resp.status()).as("%s over %s", r, transport).isEqualTo(expected);
                assertThat(resp.header().raidaId()).isEqualTo(RAIDA);
                assertThatThrownBy(() -> resp.require()).isInstanceOf(io.raida.protocol.client.RaidaStatusException.class)
                        .hasMessageContaining("(" + expected + ")");
            }
        }
        assertEchoWorksOnBoth();
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

    @Test
    void clientRejectsAReplyForAnotherRequest() throws Exception {
        start(options().build());
        ClientRequest sent = command(REVERSE, randomBytes(8));
        byte[] reply = exchange(sent.frame(), Transport.TCP);
        ClientRequest other = command(REVERSE, randomBytes(8));
        assertThatThrownBy(() -> ResponseParser.parse(other, reply))
                .isInstanceOf(io.raida.protocol.client.ResponseVerificationException.class);
        assertThat(ResponseParser.parse(sent, reply).status()).isEqualTo(250);
    }

    @Test
    void closedClientFailsNewAndPendingRequests() throws Exception {
        start(options().build());
        RaidaClient c = newClient(ClientOptions.defaults());
        CompletableFuture<RaidaResponse> pending = c.send(address, command(BLOCK, randomBytes(2)), Transport.UDP);
        await("request reached the handler", 10_000, () -> fx.entered.availablePermits() == 1);
        c.close();
        assertThatThrownBy(pending::join).hasCauseInstanceOf(RaidaTransportException.class);
        assertThatThrownBy(() -> c.send(address, echo(), Transport.UDP).join())
                .hasCauseInstanceOf(RaidaTransportException.class);
        c.close();
    }

    // ================================================================ client call lifecycle (issue 21)

    private static final int SLOW = 210;

    private void registerSlow(long millis) {
        core.registry().register(GROUP, SLOW, r -> {
            Thread.sleep(millis);
            return io.raida.protocol.CommandResult.success(r.payload());
        });
    }

    /**
     * Issue 21, bug 2: call A (echo E) ends by timeout, cancellation or its caller's own
     * {@code orTimeout}; call B to the same RAIDA asks for echo E under the same coin key. The
     * server's late reply to A arrives while B waits: B must get its own payload, never A's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"timeout", "cancel", "orTimeout"})
    void aLateReplyToAnEndedCallNeverReachesANewerCallWithTheSameEcho(String ending) throws Exception {
        start(options().build());
        registerSlow(400);
        ClientRequest a = ofType(RequestBuilder.command(RAIDA, GROUP, SLOW), 4).echo(0x4242)
                .payload("AAAA-first-call".getBytes(StandardCharsets.US_ASCII)).build();
        ClientRequest b = ofType(RequestBuilder.command(RAIDA, GROUP, SLOW), 4).echo(0x4242)
                .payload("BBBB-second-call".getBytes(StandardCharsets.US_ASCII)).build();
        CompletableFuture<RaidaResponse> first;
        switch (ending) {
            case "timeout":
                first = client.send(address, a, Transport.UDP, Duration.ofMillis(150));
                break;
            case "cancel":
                first = client.send(address, a, Transport.UDP, Duration.ofSeconds(5));
                Thread.sleep(50);
                first.cancel(false);
                break;
            default:
                first = client.send(address, a, Transport.UDP, Duration.ofSeconds(5)).orTimeout(150, TimeUnit.MILLISECONDS);
                break;
        }
        CompletableFuture<RaidaResponse> ended = first;
        assertThatThrownBy(() -> ended.get(10, TimeUnit.SECONDS)).isInstanceOfAny(
                java.util.concurrent.ExecutionException.class, java.util.concurrent.CancellationException.class);
        RaidaResponse r = client.send(address, b, Transport.UDP, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        assertThat(new String(r.payload(), StandardCharsets.US_ASCII)).isEqualTo("BBBB-second-call");
        assertThat(r.header().echo()).as("echo E is reserved while A may still be answered").isNotEqualTo(0x4242);
    }

    /**
     * Issue 21, bug 3: a raw UDP frame the server drops (transport.md §3.2) must not take the reply
     * of the next raw exchange to the same address.
     */
    @Test
    void aDroppedRawUdpFrameNeverTakesTheReplyOfTheNextRawExchange() throws Exception {
        start(options().build());
        CompletableFuture<byte[]> dropped = client.exchange(address, new byte[16], Transport.UDP, Duration.ofSeconds(2));
        Thread.sleep(50);
        ClientRequest e = echo();
        byte[] answered = client.exchange(address, e.frame(), Transport.UDP, Duration.ofSeconds(10))
                .get(20, TimeUnit.SECONDS);
        assertThat(status(answered)).isEqualTo(250);
        assertThat(echoOf(answered)).isEqualTo(e.echo());
        assertThatThrownBy(() -> dropped.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(RaidaTimeoutException.class);
    }

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

    /** Issue 21: callbacks of the caller that throw (even an Error) never stop the client's I/O threads. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void callbacksThatThrowDoNotStopTheClient(Transport transport) throws Exception {
        start(options().build());
        RaidaClient c = track(newClient(ClientOptions.builder().ioThreads(1).build()));
        for (int i = 0; i < 3; i++) {
            CompletableFuture<RaidaResponse> f = c.send(address, echo(), transport);
            CompletableFuture<Object> thrown = f.thenApply(r -> {
                throw new AssertionError("callback bug");
            });
            f.whenComplete((r, e) -> {
                throw new IllegalStateException("callback bug");
            });
            assertThatThrownBy(() -> thrown.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AssertionError.class);
        }
        assertThat(c.send(address, echo(), transport).get(10, TimeUnit.SECONDS).status()).isEqualTo(250);
    }

    // ================================================================ client reply rules (issue 15), our servers

    /** Issue 15 (4): a wrong key ends the call at once with the status, marked unauthenticated. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWrongKeyIsReportedAtOnceAsAnUnauthenticatedStatus(Transport transport) throws Exception {
        start(options().build());
        ClientRequest wrongKey = RequestBuilder.command(RAIDA, 0, 0)
                .encryptWithCoin(DEN1, SN1, Bytes.fromHex("ffeeddccbbaa99887766554433221100"))
                .payload(new byte[16]).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.send(address, wrongKey, transport, Duration.ofSeconds(20))
                .get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(io.raida.protocol.client.UnauthenticatedStatusException.class)
                .hasMessageContaining("from RAIDA " + RAIDA + ", reply not authenticated");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not a timeout").isLessThan(Duration.ofSeconds(10));
    }

    /** Issue 15 (3): UDP replies above Netty's default 2 048-byte buffer and near the 65 507-byte maximum. */
    @ParameterizedTest
    @ValueSource(ints = {2_049, 17_408, 65_507 - 34})
    void largeUdpRepliesArriveWhole(int payload) throws Exception {
        start(options().build());
        RaidaResponse r = client.send(address, command(BIG, TransportTestSupport.size(payload)), Transport.UDP,
                Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS).require();
        assertThat(r.payload()).hasSize(payload);
        assertThat(r.payload()[payload - 1]).isEqualTo((byte) (payload - 1));
        byte[] raw = client.exchange(address, command(BIG, TransportTestSupport.size(payload)).frame(), Transport.UDP,
                Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        assertThat(raw).hasSize(payload + 34);
    }

    /** Issue 15 (5): at most maxTcpConnectionsPerRaida connections at once; the next waits for one to end. */
    @Test
    void tcpConnectionsToOneRaidaAreLimited() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RaidaClient c = track(newClient(ClientOptions.builder().maxTcpConnectionsPerRaida(1)
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
}
