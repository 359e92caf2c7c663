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
import static io.raida.protocol.transport.TransportTestSupport.command;
import static io.raida.protocol.transport.TransportTestSupport.echo;
import static io.raida.protocol.transport.TransportTestSupport.ofType;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static io.raida.protocol.transport.TransportTestSupport.closedByPeerWithin;
import static io.raida.protocol.transport.TransportTestSupport.echoOf;
import static io.raida.protocol.transport.TransportTestSupport.status;
import static io.raida.protocol.transport.TransportTestSupport.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.DatagramInterceptor;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
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
        return ServerOptions.builder().host("127.0.0.1").port(0).workerPools(w -> w.workerThreads(4));
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
        start(options().connectionLimits(c -> c.udpPayloadThreshold(200)).build());
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

    /**
     * Issue 21 bug 1: user code (key resolver, handler, interceptor) failing with an {@link Error}
     * that is not a {@link VirtualMachineError} is that request's failure (252) on every path: the
     * NIO loop used to die on a resolver's AssertionError for a request that came with the connect.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void userCodeFailingWithAnErrorIsThatRequestsFailureOnEveryPath(Transport transport) throws Exception {
        CoinKeyResolver throwing = new CoinKeyResolver() {
            @Override
            public byte[] coinAn(int den, long sn) {
                throw new AssertionError("resolver bug for sn " + sn);
            }

            @Override
            public byte[] lockerAn(byte[] prefix, int off) {
                return null;
            }
        };
        ServerCore c = ServerCore.builder().raidaId(RAIDA).coinId(COIN_ID).keyResolver(throwing).build();
        c.registry().register(GROUP, 77, r -> {
            throw new NoClassDefFoundError("handler bug");
        });
        c.registry().registerNonBlocking(GROUP, 78, r -> {
            throw new ExceptionInInitializerError("inline handler bug");
        });
        c.addDatagramInterceptor((dg, from) -> {
            if (dg.remaining() > 5 && dg.get(dg.position() + 5) == 79) {
                throw new AssertionError("interceptor bug");
            }
            return null;
        });
        start(c, options().build());
        byte[] echoFrame = RequestBuilder.command(RAIDA, 0, 0).coinId(COIN_ID).payload(new byte[8]).build().frame();
        byte[] poisoned = RequestBuilder.command(RAIDA, 0, 0).coinId(COIN_ID).encryptWithCoin(1, 100, new byte[16])
                .payload(new byte[8]).build().frame();
        byte[] handlerBug = RequestBuilder.command(RAIDA, GROUP, 77).coinId(COIN_ID).payload(new byte[8]).build().frame();
        byte[] inlineBug = RequestBuilder.command(RAIDA, GROUP, 78).coinId(COIN_ID).payload(new byte[8]).build().frame();
        for (int i = 0; i < 20; i++) {
            assertThat(status(rawExchange(poisoned, transport))).as("poisoned request %d", i).isEqualTo(252);
        }
        assertThat(status(rawExchange(handlerBug, transport))).isEqualTo(252);
        assertThat(status(rawExchange(inlineBug, transport))).isEqualTo(252);
        if (transport == Transport.UDP) {
            byte[] interceptorBug = RequestBuilder.command(RAIDA, GROUP, 79).coinId(COIN_ID).payload(new byte[8]).build()
                    .frame();
            assertThat(status(rawExchange(interceptorBug, transport))).as("interceptor failure").isEqualTo(252);
        }
        assertThat(status(rawExchange(echoFrame, transport))).as("echo after the failures").isEqualTo(250);
        assertThat(status(rawExchange(echoFrame, transport == Transport.TCP ? Transport.UDP : Transport.TCP)))
                .as("the other protocol too").isEqualTo(250);
        assertThat(server.isRunning()).isTrue();
        assertThat(core.stats().handlerFailures()).isGreaterThanOrEqualTo(22);
    }

    /**
     * One raw request, the reply or null when none came: through the client under test here; socket
     * transports override it with plain blocking sockets (the frame written with the connect).
     */
    protected byte[] rawExchange(byte[] frame, Transport transport) throws IOException {
        try {
            return client.exchange(address, frame, transport, Duration.ofSeconds(transport == Transport.UDP ? 2 : 10))
                    .join();
        } catch (CompletionException e) {
            if (transport == Transport.UDP && e.getCause() instanceof RaidaTimeoutException) {
                return null;
            }
            throw e;
        }
    }

    /** One request on a fresh blocking socket (TCP: whole frame in one write, read to EOF); null if none came. */
    protected final byte[] socketExchange(byte[] frame, Transport transport) throws IOException {
        if (transport == Transport.UDP) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return TransportTestSupport.udp(s, address, frame, 2_000);
            }
        }
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(frame);
            byte[] reply = s.getInputStream().readAllBytes();
            return reply.length == 0 ? null : reply;
        }
    }

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
            return io.raida.protocol.server.CommandResult.success(r.payload());
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


    // ================================================================ replay protection (D-12, issue 20)

    /**
     * A type 4/5 request seen before is refused with 177 and its handler does not run again, whether
     * it is sent again as it was, over the other protocol, or re-targeted at another command (the
     * header is outside the MAC); the same command with a fresh nonce still succeeds.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void aReplayedType4Or5RequestIsRefusedWith177AndRunsOnce(int type) throws Exception {
        start(options().build());
        AtomicInteger runs = new AtomicInteger();
        core.registry().register(GROUP, 210, req -> {
            runs.incrementAndGet();
            return CommandResult.success(reverse(req.payload()));
        });
        for (Transport first : Transport.values()) {
            Transport other = first == Transport.UDP ? Transport.TCP : Transport.UDP;
            int before = runs.get();
            ClientRequest r = ofType(RequestBuilder.command(RAIDA, GROUP, 210), type).payload(randomBytes(12)).build();
            assertThat(client.send(address, r, first).get(20, TimeUnit.SECONDS).status()).isEqualTo(250);
            for (Transport again : List.of(first, other)) {
                byte[] replay = client.exchange(address, r.frame(), again, Duration.ofSeconds(10))
                        .get(20, TimeUnit.SECONDS);
                assertThat(status(replay)).as("replay over %s", again).isEqualTo(177);
            }
            byte[] retargeted = r.frame().clone();
            retargeted[5] = (byte) REVERSE; // another command, same ciphertext and tag
            assertThat(status(client.exchange(address, retargeted, first, Duration.ofSeconds(10))
                    .get(20, TimeUnit.SECONDS))).as("re-targeted copy").isEqualTo(177);
            assertThat(runs.get() - before).as("the handler ran once").isEqualTo(1);
            ClientRequest fresh = ofType(RequestBuilder.command(RAIDA, GROUP, 210), type)
                    .payload(randomBytes(12)).build();
            assertThat(client.send(address, fresh, first).get(20, TimeUnit.SECONDS).status()).isEqualTo(250);
        }
        // an empty payload has an empty ciphertext, so every such request carries the same tag under
        // one key: fresh ones must still pass (echo, version), an exact copy must not
        for (int i = 0; i < 3; i++) {
            ClientRequest empty = ofType(RequestBuilder.command(RAIDA, 0, i % 2), type).build();
            assertThat(client.send(address, empty, Transport.UDP).get(20, TimeUnit.SECONDS).status()).isEqualTo(250);
            assertThat(status(client.exchange(address, empty.frame(), Transport.TCP, Duration.ofSeconds(10))
                    .get(20, TimeUnit.SECONDS))).as("exact copy of an empty-payload request").isEqualTo(177);
        }
        // a 1-byte payload has 256 possible ciphertexts, so honest requests share tags after a few dozen:
        // they are told apart by tag and IV (a fuzzing run found the tag alone refused them with 177)
        ClientRequest last = null;
        for (int i = 0; i < 300; i++) {
            last = ofType(RequestBuilder.command(RAIDA, GROUP, 210), type).payload(new byte[] {(byte) i}).build();
            assertThat(client.send(address, last, Transport.UDP).get(20, TimeUnit.SECONDS).status())
                    .as("short request %d", i).isEqualTo(250);
        }
        assertThat(status(client.exchange(address, last.frame(), Transport.TCP, Duration.ofSeconds(10))
                .get(20, TimeUnit.SECONDS))).as("exact copy of a short request").isEqualTo(177);
        assertThat(core.stats().replaysRefused()).isEqualTo(10);
        assertThat(core.stats().requestsWithStatus(177)).isEqualTo(10);
    }

    // ================================================================ fatal errors (issue 10)

    /**
     * A {@link VirtualMachineError} in a worker (here an {@link InternalError} thrown by a blocking
     * handler) is recovered from: that request ends without a reply, the worker serves on, the server
     * stays RUNNING and answers everything else; no failure is reported.
     */
    @Test
    void fatalErrorInAWorkerEndsItsRequestAndTheServerServesOn() throws Exception {
        ServerCore c = fx.newCore(4_096);
        c.registry().register(GROUP, FATAL, req -> {
            throw new InternalError("simulated fatal error in a worker");
        });
        start(c, options().workerPools(w -> w.workerThreads(1)).build());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        server.onFailure(failed::complete);
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);

        for (int i = 0; i < 3; i++) {
            byte[] reply = client.exchange(address, command(FATAL, new byte[0]).frame(), Transport.TCP,
                    Duration.ofSeconds(10)).handle((r, t) -> r).get(15, TimeUnit.SECONDS);
            assertThat(reply == null || reply.length == 0).as("no reply to the failed request").isTrue();
            assertEchoWorksOnBoth();
            RaidaResponse r = send(command(REVERSE, new byte[] {1, 2, 3}), Transport.TCP);
            assertThat(r.payload()).as("the single worker serves on").containsExactly(3, 2, 1);
        }
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);
        assertThat(server.failure()).isNull();
        assertThat(failed).isNotDone();
    }

    /** A fatal test command (registered by the tests that want it, never in the shared core). */
    protected static final int FATAL = 206;

    // ================================================================ issue 19: deadlines and bulkheads

    /** Test command registered as waiting by the deadline cases: payload byte 0 = 1 blocks, else answers at once. */
    protected static final int SLEEPY = 210;
    /** Its bulkhead: a second waiting dependency besides CC2, so the bulkhead is not CC2-specific. */
    protected static final String SLEEPY_BULKHEAD = "sleepy";
    /** Handler entries of {@link #SLEEPY}. */
    protected final AtomicInteger sleepyRuns = new AtomicInteger();

    /** Registers {@link #SLEEPY} as a waiting handler; a blocking call waits for {@code fx.release}. */
    protected void registerSleepy(ServerCore c) {
        c.registry().registerWaiting(GROUP, SLEEPY, SLEEPY_BULKHEAD, req -> {
            sleepyRuns.incrementAndGet();
            byte[] p = req.payload();
            if (p.length > 0 && p[0] == 1) {
                fx.entered.release();
                fx.release.await(60, TimeUnit.SECONDS);
            }
            return CommandResult.success(p);
        });
    }

    private static ClientRequest sleepy(boolean block) {
        byte[] p = randomBytes(4);
        p[0] = (byte) (block ? 1 : 0);
        return command(SLEEPY, p);
    }

    private io.raida.protocol.server.BulkheadStats sleepyStats() {
        return core.stats().bulkhead(SLEEPY_BULKHEAD);
    }

    /** (d) and item 1: an overrunning waiting handler is answered 254 at its deadline, local work goes on. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWaitingHandlerOverrunningItsDeadlineIsAnswered254AtTheDeadline(Transport transport) throws Exception {
        ServerCore c = fx.newCore(4_096);
        registerSleepy(c);
        Duration deadline = Duration.ofMillis(800);
        start(c, options().timeouts(t -> t.tcpDeadline(deadline).udpDeadline(deadline))
                .workerPools(w -> w.waitingThreads(2)).build());
        long t0 = System.nanoTime();
        RaidaResponse r = send(sleepy(true), transport);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(StatusCode.ERROR_MEMORY_ALLOC.code());
        assertThat(ms).as("answered at the deadline, not when the handler returns").isBetween(700L, 5_000L);
        assertThat(fx.entered.availablePermits()).isEqualTo(1);
        assertThat(sleepyStats().overran()).isEqualTo(1);
        assertThat(sleepyStats().running()).as("the handler is not interrupted").isEqualTo(1);
        // the local workers never saw it: a worker command answers at once
        for (int i = 0; i < 20; i++) {
            assertThat(send(command(REVERSE, randomBytes(6)), transport).status()).isEqualTo(250);
        }
        fx.release.countDown();
        await("the overrunning handler returned, its result discarded", 20_000,
                () -> sleepyStats().running() == 0 && sleepyStats().completed() == 1);
        assertThat(core.stats().requestsWithStatus(StatusCode.ERROR_MEMORY_ALLOC.code())).isEqualTo(1);
        assertThat(core.stats().bulkhead(ServerStats.LOCAL_BULKHEAD).overran()).isZero();
        assertEchoWorksOnBoth();
    }

    /** Item 2: a waiting request that could not start before its deadline is refused at admission, at once. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFullWaitingBulkheadRefusesAtOnceAndLocalCommandsKeepTheirWorkers(Transport transport) throws Exception {
        ServerCore c = fx.newCore(4_096);
        registerSleepy(c);
        Duration deadline = Duration.ofSeconds(20);
        // a small UDP pool (2 held + 1 in hand-back + 1 arriving fit; 10 leaked would not): a refused
        // datagram must give its exchange back, or the pool runs dry
        start(c, options().timeouts(t -> t.tcpDeadline(deadline).udpDeadline(deadline))
                .workerPools(w -> w.waitingThreads(2).workerThreads(2))
                .connectionLimits(cl -> cl.udpPoolSize(6)).build());
        List<CompletableFuture<RaidaResponse>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(client.send(address, sleepy(true), transport));
        }
        await("both waiting threads busy", 10_000, () -> fx.entered.availablePermits() == 2);
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            RaidaResponse r = send(sleepy(false), transport);
            assertThat(r.status()).as("no call has returned: a waiting call is presumed to take the deadline")
                    .isEqualTo(StatusCode.ERROR_MEMORY_ALLOC.code());
            assertThat((System.nanoTime() - t0) / 1_000_000).as("refused at admission, not at the deadline")
                    .isLessThan(10_000L);
            // both local workers are free for local commands
            assertThat(send(command(REVERSE, randomBytes(6)), transport).status()).isEqualTo(250);
        }
        assertThat(sleepyRuns.get()).as("refused requests never run").isEqualTo(2);
        assertThat(sleepyStats().refusedAtAdmission()).isEqualTo(10);
        assertThat(sleepyStats().queued()).isZero();
        fx.release.countDown();
        for (CompletableFuture<RaidaResponse> f : held) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(250);
        }
        // calls that return quickly let the bulkhead queue again
        await("fast calls admitted", 20_000, () -> send(sleepy(false), transport).status() == 250);
    }

    /** Item 1: a request still queued when its deadline passes is answered 254 then, and its handler never runs. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aQueuedRequestWhoseDeadlinePassesIsAnswered254WithoutRunning(Transport transport) throws Exception {
        ServerCore c = fx.newCore(4_096);
        registerSleepy(c);
        Duration deadline = Duration.ofSeconds(2);
        start(c, options().timeouts(t -> t.tcpDeadline(deadline).udpDeadline(deadline))
                .workerPools(w -> w.waitingThreads(1)).build());
        for (int i = 0; i < 5; i++) { // fast calls: the bulkhead learns a short call time and queues again
            assertThat(send(sleepy(false), transport).status()).isEqualTo(250);
        }
        CompletableFuture<RaidaResponse> blocker = client.send(address, sleepy(true), transport);
        await("the only waiting thread is busy", 10_000, () -> fx.entered.availablePermits() == 1);
        long t0 = System.nanoTime();
        RaidaResponse queued = send(sleepy(false), transport);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(queued.status()).isEqualTo(StatusCode.ERROR_MEMORY_ALLOC.code());
        assertThat(ms).as("answered when its deadline passed").isBetween(1_000L, 6_000L);
        assertThat(sleepyRuns.get()).as("its handler never ran").isEqualTo(6);
        assertThat(sleepyStats().expiredBeforeStart()).isEqualTo(1);
        assertThat(blocker.get(30, TimeUnit.SECONDS).status()).as("the blocker overran its own deadline")
                .isEqualTo(StatusCode.ERROR_MEMORY_ALLOC.code());
        assertThat(sleepyStats().overran()).isEqualTo(1);
        fx.release.countDown();
        await("the blocked handler returned", 20_000, () -> sleepyStats().running() == 0);
        assertThat(sleepyRuns.get()).isEqualTo(6);
        assertThat(sleepyStats().queued()).isZero();
    }
}
