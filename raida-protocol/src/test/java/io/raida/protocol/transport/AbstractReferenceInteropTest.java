package io.raida.protocol.transport;

import static io.raida.protocol.transport.TransportTestSupport.AN1;
import static io.raida.protocol.transport.TransportTestSupport.BIG;
import static io.raida.protocol.transport.TransportTestSupport.DEN1;
import static io.raida.protocol.transport.TransportTestSupport.GROUP;
import static io.raida.protocol.transport.TransportTestSupport.RAIDA;
import static io.raida.protocol.transport.TransportTestSupport.REVERSE;
import static io.raida.protocol.transport.TransportTestSupport.SN1;
import static io.raida.protocol.transport.TransportTestSupport.command;
import static io.raida.protocol.transport.TransportTestSupport.ofType;
import static io.raida.protocol.transport.TransportTestSupport.randomBytes;
import static io.raida.protocol.transport.TransportTestSupport.reverse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.client.UnauthenticatedStatusException;
import io.raida.protocol.testing.ReferenceBehaviourServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against the reference server's wire behaviour (issue 15), on every client transport:
 * each case runs against {@link ReferenceBehaviourServer} with the behaviour switched on and, where
 * it applies, against this module's own server, so nothing regresses for correct servers. A
 * transport module extends this with its client (and server) factory.
 */
public abstract class AbstractReferenceInteropTest {
    private static final Duration QUICK = Duration.ofSeconds(8);

    /** A client of the transport under test. */
    protected abstract RaidaClient newClient(ClientOptions options);

    /** A server of the transport under test (not started). */
    protected abstract RaidaServer newServer(ServerCore core, ServerOptions options);

    private final TransportTestSupport fx = TransportTestSupport.create();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private <T extends AutoCloseable> T track(T r) {
        resources.push(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        fx.release.countDown();
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private ServerCore core() {
        return fx.newCore(4_096);
    }

    private InetSocketAddress reference(ServerCore core) throws IOException {
        return track(ReferenceBehaviourServer.builder(core).allReferenceBehaviours().start()).address();
    }

    private InetSocketAddress ours(ServerCore core) throws IOException {
        RaidaServer s = track(newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                .workerPools(w -> w.workerThreads(2))
                .build()));
        s.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port());
    }

    private InetSocketAddress server(String which, ServerCore core) throws IOException {
        return which.equals("reference") ? reference(core) : ours(core);
    }

    private RaidaClient client() {
        return track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(20)).build()));
    }

    private static RaidaResponse get(CompletableFuture<RaidaResponse> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /**
     * Issue 15 (1), D-10 and D-9: early header errors (wrong RAIDA id 3, wrong coin id 7, unknown
     * command 6), whose replies carry a previous datagram's echo and signature and a 32-byte header
     * even to type 4 requests, reach the single waiting request at once, types 0 and 4.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "ours"})
    void udpEarlyErrorsWithStaleEchoReachTheWaitingRequest(String which) throws Exception {
        InetSocketAddress at = server(which, core());
        RaidaClient c = client();
        for (int type : new int[] {0, 4}) {
            // a first answered datagram leaves its echo and signature in the reference's pool
            assertThat(get(c.send(at, ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), type)
                    .payload(randomBytes(8)).build(), Transport.UDP)).status()).isEqualTo(250);
            ClientRequest[] bad = {
                ofType(RequestBuilder.command(RAIDA + 1, 0, 0), type).payload(randomBytes(8)).build(),
                ofType(RequestBuilder.command(RAIDA, 0, 0), type).coinId(9).payload(randomBytes(8)).build(),
                ofType(RequestBuilder.command(RAIDA, 0, 99), type).payload(randomBytes(8)).build()};
            int[] statuses = {3, 7, 6};
            for (int i = 0; i < bad.length; i++) {
                long t0 = System.nanoTime();
                RaidaResponse r = get(c.send(at, bad[i], Transport.UDP));
                assertThat(r.status()).as("type %d case %d", type, i).isEqualTo(statuses[i]);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not a timeout").isLessThan(QUICK);
            }
        }
    }

    /**
     * Issue 15 (2), D-23: a type 4 request refused at its header gets the 32-byte reply, then a
     * reset with its body unread; the complete reply is the answer, over TCP.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "ours"})
    void aTcpReplyFollowedByAResetIsTheAnswer(String which) throws Exception {
        InetSocketAddress at = server(which, core());
        RaidaClient c = client();
        for (int type : new int[] {4, 5, 0}) {
            ClientRequest wrongRaida = ofType(RequestBuilder.command(RAIDA + 1, 0, 0), type)
                    .payload(randomBytes(4_000)).build();
            assertThat(get(c.send(at, wrongRaida, Transport.TCP)).status()).as("type %d", type).isEqualTo(3);
        }
        byte[] p = randomBytes(12);
        assertThat(get(c.send(at, ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), 4).payload(p).build(),
                Transport.TCP)).payload()).isEqualTo(reverse(p));
    }

    /** A reset before the reply is complete is still an error, not a short answer. */
    @Test
    void aResetBeforeACompleteReplyIsAnError() throws Exception {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            RaidaClient c = client();
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            ClientRequest q = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), 4).payload(randomBytes(8)).build();
            CompletableFuture<RaidaResponse> f = c.send(at, q, Transport.TCP);
            ss.setSoTimeout(10_000);
            try (java.net.Socket s = ss.accept()) {
                s.getInputStream().readNBytes(q.length());
                byte[] partial = new byte[40]; // a 48-byte header announcing a body, cut short
                partial[0] = (byte) RAIDA;
                partial[2] = (byte) 250;
                Bytes.putU24(partial, 9, 50);
                s.getOutputStream().write(partial);
                s.getOutputStream().flush();
                s.setSoLinger(true, 0); // close with RST
            }
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(RaidaTransportException.class);
        }
    }

    /** Issue 15 (3): UDP replies above 2 048 bytes and near the 65 507-byte maximum arrive whole. */
    @ParameterizedTest
    @ValueSource(ints = {17_408, 65_507 - 34})
    void largeUdpRepliesFromTheReferenceArriveWhole(int size) throws Exception {
        InetSocketAddress at = reference(core());
        RaidaResponse r = get(client().send(at, command(BIG, TransportTestSupport.size(size)), Transport.UDP));
        assertThat(r.require().payload()).hasSize(size);
    }

    /** Issue 15 (4): a wrong key is reported at once as an unauthenticated status, both transports. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWrongKeyIsAnUnauthenticatedStatusNotATimeout(Transport transport) throws Exception {
        for (String which : new String[] {"reference", "ours"}) {
            InetSocketAddress at = server(which, core());
            ClientRequest wrong = RequestBuilder.command(RAIDA, 0, 0)
                    .encryptWithCoin(DEN1, SN1, Bytes.fromHex("ffeeddccbbaa99887766554433221100"))
                    .payload(new byte[16]).build();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client().send(at, wrong, transport).get(30, TimeUnit.SECONDS))
                    .as(which).cause().isInstanceOf(UnauthenticatedStatusException.class)
                    .hasMessageContaining("from RAIDA " + RAIDA + ", reply not authenticated");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(QUICK);
        }
    }

    /**
     * Issue 15 (5), D-28: simultaneous requests to a server that accepts one connection per
     * readiness event all complete when the client opens one connection at a time to it.
     */
    @Test
    void oneConnectionAtATimeToAReferenceThatAcceptsOnePerEvent() throws Exception {
        InetSocketAddress at = track(ReferenceBehaviourServer.builder(core()).oneAcceptPerEvent(true).start()).address();
        RaidaClient c = track(newClient(ClientOptions.builder().maxTcpConnectionsPerRaida(1)
                .timeout(Duration.ofSeconds(20)).build()));
        List<byte[]> payloads = new ArrayList<>();
        List<CompletableFuture<RaidaResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] p = randomBytes(4 + i);
            payloads.add(p);
            calls.add(c.send(at, command(REVERSE, p), Transport.TCP));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(get(calls.get(i)).payload()).isEqualTo(reverse(payloads.get(i)));
        }
    }

    /**
     * D-1: a reference that restarts the type 1 keystream. Calibration finds the mode from a version
     * reply, and requests built with it decrypt, over both transports.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theRestartingType1KeystreamIsCalibratedAndUsed(Transport transport) throws Exception {
        ServerCore restart = ServerCore.builder().raidaId(RAIDA).coinId(TransportTestSupport.COIN_ID)
                .keyResolver(new io.raida.protocol.server.InMemoryCoinKeyResolver().putCoin(DEN1, SN1, AN1))
                .versionString("20261121").legacyReplyKeystream(KeystreamMode.RESTART).build();
        InetSocketAddress at = reference(restart);
        RaidaClient c = client();
        ClientRequest version = RequestBuilder.command(RAIDA, 0, 1).encryptWithCoin(DEN1, SN1, AN1).build();
        byte[] reply = c.exchange(at, version.frame(), transport, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
        assertThat(ResponseParser.calibrate(version, reply)).isEqualTo(KeystreamMode.RESTART);
        ClientRequest calibrated = RequestBuilder.command(RAIDA, 0, 1).encryptWithCoin(DEN1, SN1, AN1)
                .keystream(KeystreamMode.RESTART).build();
        assertThat(new String(get(c.send(at, calibrated, transport)).payload(), StandardCharsets.US_ASCII))
                .isEqualTo("20261121");
    }

    /** The fixture really reproduces D-10 and D-9: an early error carries the previous reply's echo, 32-byte header. */
    @Test
    void theFixtureSendsStaleEchoesAndShortHeaders() throws Exception {
        InetSocketAddress at = reference(core());
        RaidaClient c = client();
        ClientRequest first = ofType(RequestBuilder.command(RAIDA, GROUP, REVERSE), 0).echo(0x3A3A)
                .payload(randomBytes(8)).build();
        assertThat(get(c.send(at, first, Transport.UDP)).header().echo()).isEqualTo(0x3A3A);
        byte[] early = c.exchange(at, ofType(RequestBuilder.command(RAIDA + 1, 0, 0), 4).echo(0x1111)
                .payload(randomBytes(8)).build().frame(), Transport.UDP, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        assertThat(early).hasSize(32);
        assertThat(early[2] & 0xFF).isEqualTo(3);
        assertThat(Bytes.u16(early, 6)).as("the previous datagram's echo (D-10)").isEqualTo(0x3A3A);
    }

    /**
     * The fixture really reproduces D-28: of two connections made together, one is served and the
     * other waits in the backlog until a further connection arrives.
     */
    @Test
    void theFixtureLeavesSimultaneousConnectionsInTheBacklog() throws Exception {
        InetSocketAddress at = track(ReferenceBehaviourServer.builder(core()).oneAcceptPerEvent(true).start()).address();
        byte[] frame = TransportTestSupport.echo().frame();
        try (java.net.Socket a = new java.net.Socket(at.getAddress(), at.getPort());
             java.net.Socket b = new java.net.Socket(at.getAddress(), at.getPort())) {
            a.getOutputStream().write(frame);
            b.getOutputStream().write(frame);
            int answered = 0;
            java.net.Socket waiting = null;
            for (java.net.Socket s : new java.net.Socket[] {a, b}) {
                s.setSoTimeout(1_500);
                try {
                    if (s.getInputStream().readNBytes(32).length == 32) {
                        answered++;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    waiting = s;
                }
            }
            assertThat(answered).as("one served per readiness event").isEqualTo(1);
            try (java.net.Socket c = new java.net.Socket(at.getAddress(), at.getPort())) {
                waiting.setSoTimeout(10_000);
                assertThat(waiting.getInputStream().readNBytes(32)).as("served once another connection arrived")
                        .hasSize(32);
            }
        }
    }
}
