package io.raida.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaTimeoutException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which waiting call a UDP datagram answers; every reply here comes from the real core pipeline. */
class UdpCallTableTest {
    private static final int RAIDA = 7;
    private static final byte[] AN = Bytes.fromHex("00112233445566778899aabbccddeeff");
    private static final byte[] WRONG_AN = Bytes.fromHex("ffeeddccbbaa99887766554433221100");
    private static final InetSocketAddress AT = new InetSocketAddress("127.0.0.1", 20_000);

    private final ServerCore core = ServerCore.builder().raidaId(RAIDA).coinId(6)
            .keyResolver(new InMemoryCoinKeyResolver().putCoin(1, 1_000, AN)).build();
    private final ClientCore client = new ClientCore(ClientOptions.builder()
            .lateReplyGrace(Duration.ofSeconds(30)).build());
    private final UdpCallTable table = new UdpCallTable();

    private byte[] udp(ClientRequest r) {
        return core.answer(r.frame(), Transport.UDP);
    }

    private static ClientRequest echo(int raida) {
        return RequestBuilder.command(raida, 0, 0).build();
    }

    private ClientExchange<RaidaResponse> waiting(ClientRequest r) {
        ClientExchange<RaidaResponse> c = client.newCall(AT, r, Transport.UDP, Duration.ofSeconds(30));
        table.add(c);
        return c;
    }

    private ClientExchange<?> select(byte[] reply) {
        return table.select(AT, reply, 0, reply.length);
    }

    @Test
    void aReplyGoesToTheCallItMatchesWhateverTheOrder() {
        List<ClientExchange<RaidaResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(waiting(i == 3 ? RequestBuilder.command(RAIDA, 0, 0).encryptWithCoin(1, 1_000, AN).build()
                    : echo(RAIDA)));
        }
        for (int i = 0; i < calls.size(); i++) {
            byte[] reply = udp(calls.get(i).request());
            assertThat(select(reply)).as("reply %d", i).isSameAs(calls.get(i));
        }
        assertThat(table.select(new InetSocketAddress("127.0.0.1", 20_001), udp(calls.get(0).request()), 0, 32))
                .as("another source").isNull();
    }

    @Test
    void anEarlyErrorWithZeroOrStaleEchoReachesTheOnlyWaitingCall() {
        ClientRequest[] requests = {echo(RAIDA + 1), RequestBuilder.command(RAIDA, 0, 0).coinId(9).build(),
                RequestBuilder.command(RAIDA, 0, 99).build()};
        int[] statuses = {3, 7, 6};
        for (int i = 0; i < requests.length; i++) {
            ClientExchange<RaidaResponse> c = waiting(requests[i]);
            byte[] reply = udp(requests[i]);
            byte[] stale = reply.clone();
            Bytes.putU16(stale, 6, 0xBEEF); // D-10: a previous datagram's echo and signature
            Arrays.fill(stale, 16, 32, (byte) 0x5A);
            assertThat(UdpCallTable.isEarlyError(stale, 0, 32)).isTrue();
            assertThat(select(reply)).isSameAs(c);
            assertThat(select(stale)).isSameAs(c);
            assertThat(c.reply(stale)).isTrue();
            assertThat(c.future().join().status()).isEqualTo(statuses[i]);
            table.ended(c);
        }
        assertThat(table.size()).isZero();
    }

    @Test
    void anEarlyErrorWithSeveralWaitingIsAttributedToNoneAndTheirTimeoutSaysSo() {
        ClientRequest bad = echo(RAIDA + 1);
        ClientExchange<RaidaResponse> a = waiting(echo(RAIDA));
        ClientExchange<RaidaResponse> b = waiting(bad);
        byte[] reply = udp(bad);
        Bytes.putU16(reply, 6, 0x1234);
        assertThat(select(reply)).isNull();
        b.timedOut();
        assertThatThrownBy(() -> b.future().join()).hasCauseInstanceOf(RaidaTimeoutException.class)
                .hasMessageContaining("status 3").hasMessageContaining("could not be attributed");
        assertThat(a.isDone()).isFalse();
    }

    @Test
    void aLateReplyToAnEndedCallIsDroppedNotGivenToAnother() {
        ClientRequest first = RequestBuilder.command(RAIDA, 0, 0).authenticateWithCoin(1, 1_000, AN).echo(5).build();
        ClientExchange<RaidaResponse> a = waiting(first);
        a.future().cancel(false);
        table.ended(a);
        assertThat(a.reservedUntilNanos() - System.nanoTime()).as("reserved past its deadline")
                .isGreaterThan(Duration.ofSeconds(29).toNanos());
        ClientExchange<RaidaResponse> b = waiting(first);
        assertThat(b.request().echo()).as("the echo is still reserved").isNotEqualTo(5);
        byte[] late = udp(first);
        assertThat(select(late)).isNull();
        byte[] own = udp(b.request());
        assertThat(select(own)).isSameAs(b);
        // an early error from that address: a call that ended may still be answered, so it is not the single one
        byte[] early = udp(echo(RAIDA + 1));
        Bytes.putU16(early, 6, 0x7777);
        assertThat(select(early)).isNull();
    }

    @Test
    void aCallThatGotItsReplyFreesItsEchoAtOnce() {
        ClientRequest q = RequestBuilder.command(RAIDA, 0, 0).authenticateWithCoin(1, 1_000, AN).echo(9).build();
        ClientExchange<RaidaResponse> a = waiting(q);
        assertThat(a.reply(udp(a.request()))).isTrue();
        table.ended(a);
        assertThat(client.echoes().inFlight()).isZero();
        assertThat(waiting(q).request().echo()).isEqualTo(9);
    }

    @Test
    void aWrongKeyErrorReplyEndsTheCallAtOnceAsUnauthenticated() {
        ClientRequest wrongKey = RequestBuilder.command(RAIDA, 0, 0).encryptWithCoin(1, 1_000, WRONG_AN)
                .payload(new byte[16]).build();
        ClientExchange<RaidaResponse> c = waiting(wrongKey);
        waiting(echo(RAIDA));
        byte[] reply = udp(wrongKey);
        int status = Bytes.u8(reply, 2);
        assertThat(ResponseParser.isErrorStatus(status)).isTrue();
        assertThat(c.request().matches(reply, 0, reply.length)).as("its signature does not verify").isFalse();
        assertThat(select(reply)).isSameAs(c);
        c.reply(reply);
        assertThatThrownBy(() -> c.future().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(UnauthenticatedStatusException.class)
                .hasMessageContaining("status " + status + " from RAIDA " + RAIDA + ", reply not authenticated");
    }

    @Test
    void rawExchangesAreNotMatchedByContent() {
        ClientExchange<byte[]> raw = client.newRawExchange(AT, new byte[16], Transport.UDP, Duration.ofSeconds(1));
        assertThatThrownBy(() -> table.add(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("own socket");
    }
}
