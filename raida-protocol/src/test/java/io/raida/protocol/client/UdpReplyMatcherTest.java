package io.raida.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Bytes;
import io.raida.protocol.InMemoryCoinKeyResolver;
import io.raida.protocol.ServerCore;
import io.raida.protocol.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Which waiting request a UDP datagram answers; every reply here comes from the real core pipeline. */
class UdpReplyMatcherTest {
    private static final int RAIDA = 7;
    private static final byte[] AN = Bytes.fromHex("00112233445566778899aabbccddeeff");
    private static final Function<ClientRequest, ClientRequest> SELF = r -> r;

    private final ServerCore core = ServerCore.builder().raidaId(RAIDA).coinId(6)
            .keyResolver(new InMemoryCoinKeyResolver().putCoin(1, 1_000, AN)).build();

    private byte[] udp(ClientRequest r) {
        return core.answer(r.frame(), Transport.UDP);
    }

    private static ClientRequest echo(int raida) {
        return RequestBuilder.command(raida, 0, 0).build();
    }

    @Test
    void aReplyGoesToTheRequestItMatchesWhateverTheOrder() {
        List<ClientRequest> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(i == 3 ? RequestBuilder.command(RAIDA, 0, 0).encryptWithCoin(1, 1_000, AN).build() : echo(RAIDA));
        }
        for (int i = 0; i < waiting.size(); i++) {
            byte[] reply = udp(waiting.get(i));
            assertThat(UdpReplyMatcher.select(waiting, SELF, reply, 0, reply.length)).as("reply %d", i).isEqualTo(i);
        }
    }

    @Test
    void aReplyForNoWaitingRequestIsClaimedByNone() {
        byte[] stray = udp(echo(RAIDA));
        assertThat(UdpReplyMatcher.select(List.of(echo(RAIDA)), SELF, stray, 0, stray.length)).isEqualTo(-1);
        assertThat(UdpReplyMatcher.select(List.of(), SELF, stray, 0, stray.length)).isEqualTo(-1);
    }

    @Test
    void anEarlyErrorReachesTheOnlyWaitingRequestAndParsesToItsStatus() {
        ClientRequest wrongRaida = echo(RAIDA + 1);
        ClientRequest wrongCoin = RequestBuilder.command(RAIDA, 0, 0).coinId(9).build();
        ClientRequest unknownCommand = RequestBuilder.command(RAIDA, 0, 99).build();
        ClientRequest[] requests = {wrongRaida, wrongCoin, unknownCommand};
        int[] statuses = {3, 7, 6};
        for (int i = 0; i < requests.length; i++) {
            byte[] reply = udp(requests[i]);
            assertThat(UdpReplyMatcher.isUnattributedEarlyError(reply, 0, reply.length)).isTrue();
            assertThat(requests[i].matches(reply, 0, reply.length)).as("echo 0 matches no request").isFalse();
            assertThat(UdpReplyMatcher.select(List.of(requests[i]), SELF, reply, 0, reply.length)).isZero();

            RaidaResponse parsed = ResponseParser.parse(requests[i], reply);
            assertThat(parsed.status()).isEqualTo(statuses[i]);
            Assertions.assertThatThrownBy(() -> parsed.require()).isInstanceOf(RaidaStatusException.class);
        }
    }

    @Test
    void anEarlyErrorWithSeveralRequestsWaitingIsAttributedToNone() {
        ClientRequest bad = echo(RAIDA + 1);
        byte[] reply = udp(bad);
        assertThat(UdpReplyMatcher.select(List.of(echo(RAIDA), bad), SELF, reply, 0, reply.length)).isEqualTo(-1);
    }

    @Test
    void onlyAnEarlyErrorWithoutEchoSignatureOrBodyIsUnattributed() {
        ClientRequest bad = echo(RAIDA + 1);
        byte[] early = udp(bad);
        byte[] ok = udp(echo(RAIDA));
        assertThat(UdpReplyMatcher.isUnattributedEarlyError(ok, 0, ok.length)).isFalse();
        byte[] withEcho = early.clone();
        withEcho[7] = 1;
        byte[] withSignature = early.clone();
        withSignature[20] = 1;
        byte[] withBody = Arrays.copyOf(early, 34);
        withBody[11] = 2;
        byte[] otherStatus = early.clone();
        otherStatus[2] = 16;
        for (byte[] b : List.of(withEcho, withSignature, withBody, otherStatus)) {
            assertThat(UdpReplyMatcher.isUnattributedEarlyError(b, 0, b.length)).isFalse();
            assertThat(UdpReplyMatcher.select(List.of(bad), SELF, b, 0, b.length)).isEqualTo(-1);
        }
    }

    @Test
    void aRawExchangeTakesWhatNoRequestClaims() {
        ClientRequest waiting = echo(RAIDA);
        List<ClientRequest> calls = Arrays.asList(null, waiting);
        byte[] matching = udp(waiting);
        byte[] other = udp(echo(RAIDA));
        assertThat(UdpReplyMatcher.select(calls, SELF, matching, 0, matching.length)).isEqualTo(1);
        assertThat(UdpReplyMatcher.select(calls, SELF, other, 0, other.length)).isZero();
    }
}
