package io.raida.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.transport.RaidaTransportException;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Echo bytes of type 4/5 requests in flight stay unique per destination; rewritten requests stay valid. */
class EchoReservationsTest {
    private static final byte[] AN = Bytes.fromHex("00112233445566778899aabbccddeeff");
    private static final byte[] AN2 = Bytes.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 20_000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 20_001);

    private final ServerCore core = ServerCore.builder().raidaId(0).coinId(6).versionString("20261121")
            .keyResolver(new InMemoryCoinKeyResolver().putCoin(1, 5, AN).putCoin(2, 6, AN2)).build();

    private static ClientRequest version(int type, int echo) {
        RequestBuilder b = RequestBuilder.command(0, 0, 1).echo(echo);
        if (type == 4) {
            b.authenticateWithCoin(1, 5, AN);
        } else if (type == 5) {
            b.authenticateWithCoins(1, 5, AN, 2, 6, AN2);
        } else if (type == 1) {
            b.encryptWithCoin(1, 5, AN);
        }
        return b.build();
    }

    @Test
    void aTakenEchoIsReplacedAndTheCopyIsStillAValidRequest() {
        for (int type : new int[] {4, 5}) {
            EchoReservations r = new EchoReservations();
            ClientRequest first = version(type, 0x1234);
            ClientRequest second = version(type, 0x1234);
            assertThat(r.claim(A, first)).isSameAs(first);
            ClientRequest sent = r.claim(A, second);
            assertThat(sent).isNotSameAs(second);
            assertThat(sent.echo()).isNotEqualTo(0x1234);
            byte[] before = second.frame();
            byte[] after = sent.frame();
            assertThat(Bytes.u16(after, 46)).isEqualTo(sent.echo());
            after[46] = before[46];
            after[47] = before[47];
            assertThat(after).as("only the echo bytes differ").isEqualTo(before);

            byte[] reply = core.answer(sent.frame(), Transport.UDP);
            assertThat(sent.matches(reply, 0, reply.length)).isTrue();
            assertThat(first.matches(reply, 0, reply.length)).isFalse();
            RaidaResponse parsed = ResponseParser.parse(sent, reply);
            assertThat(parsed.status()).isEqualTo(250);
            assertThat(new String(parsed.payload(), StandardCharsets.US_ASCII)).isEqualTo("20261121");
            assertThat(r.inFlight()).isEqualTo(2);
        }
    }

    @Test
    void echoesAreFreedOnReleaseAndKeptApartPerDestination() {
        EchoReservations r = new EchoReservations();
        ClientRequest q = version(4, 7);
        assertThat(r.claim(A, q)).isSameAs(q);
        assertThat(r.claim(B, q)).as("another RAIDA").isSameAs(q);
        r.release(A, q);
        assertThat(r.claim(A, q)).as("freed").isSameAs(q);
        r.release(A, q);
        r.release(B, q);
        assertThat(r.inFlight()).isZero();
    }

    @Test
    void typesWhoseEchoIsANonceByteAreNeverRewrittenNorCounted() {
        EchoReservations r = new EchoReservations();
        for (int type : new int[] {0, 1}) {
            ClientRequest q = version(type, 9);
            assertThat(r.claim(A, q)).isSameAs(q);
            assertThat(r.claim(A, q)).isSameAs(q);
            assertThatThrownBy(() -> q.withEcho(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nonce");
        }
        assertThat(r.inFlight()).isZero();
        assertThatThrownBy(() -> version(4, 1).withEcho(0x10000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyEchoInFlightToOneRaidaIsARefusalNotACollision() {
        EchoReservations r = new EchoReservations();
        ClientRequest q = version(4, 0);
        Set<Integer> echoes = new HashSet<>();
        for (int i = 0; i < 0x10000; i++) {
            echoes.add(r.claim(A, q).echo());
        }
        assertThat(echoes).hasSize(0x10000);
        assertThatThrownBy(() -> r.claim(A, q)).isInstanceOf(RaidaTransportException.class)
                .hasMessageContaining("in flight");
        assertThat(r.claim(B, q)).isSameAs(q);
    }

    @Test
    void anEchoReleasedForLaterStaysReservedUntilThen() throws InterruptedException {
        EchoReservations r = new EchoReservations();
        ClientRequest q = version(4, 0x0707);
        assertThat(r.claim(A, q)).isSameAs(q);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300);
        r.release(A, q, until);
        ClientRequest during = r.claim(A, q);
        assertThat(during.echo()).as("still reserved: the server may answer the ended call").isNotEqualTo(0x0707);
        r.release(A, during);
        while (System.nanoTime() - until < 0) {
            Thread.sleep(20);
        }
        assertThat(r.claim(A, q)).as("free once the reservation ends").isSameAs(q);
        r.release(A, q);
        assertThat(r.inFlight()).isZero();
    }
}
