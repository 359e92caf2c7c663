package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Transport;
import io.raida.protocol.client.ResponseVerificationException;
import io.raida.protocol.transport.RaidaTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The decisions a fan-out takes per attempt: transport, backoff, how a failure is named. */
class FanOutPiecesTest {

    @Test
    void transportFollowsThePolicyAndMovesToTcpOnceAfterUdpFails() {
        assertThat(TransportChoice.forRequest(ProtocolPolicy.UDP_ONLY, true, 9000, 1400)).isEqualTo(Transport.UDP);
        assertThat(TransportChoice.forRequest(ProtocolPolicy.TCP_ONLY, false, 10, 1400)).isEqualTo(Transport.TCP);
        assertThat(TransportChoice.forRequest(ProtocolPolicy.UDP_THEN_TCP, false, 1400, 1400)).isEqualTo(Transport.UDP);
        assertThat(TransportChoice.forRequest(ProtocolPolicy.UDP_THEN_TCP, false, 1401, 1400)).isEqualTo(Transport.TCP);
        assertThat(TransportChoice.forRequest(ProtocolPolicy.UDP_THEN_TCP, true, 10, 1400)).isEqualTo(Transport.TCP);
        assertThat(TransportChoice.forCalibration(ProtocolPolicy.UDP_THEN_TCP, false)).isEqualTo(Transport.UDP);
        assertThat(TransportChoice.forCalibration(ProtocolPolicy.TCP_ONLY, false)).isEqualTo(Transport.TCP);
        assertThat(TransportChoice.movesToTcp(ProtocolPolicy.UDP_THEN_TCP, Transport.UDP, false)).isTrue();
        assertThat(TransportChoice.movesToTcp(ProtocolPolicy.UDP_THEN_TCP, Transport.UDP, true)).isFalse();
        assertThat(TransportChoice.movesToTcp(ProtocolPolicy.UDP_THEN_TCP, Transport.TCP, false)).isFalse();
        assertThat(TransportChoice.movesToTcp(ProtocolPolicy.UDP_ONLY, Transport.UDP, false)).isFalse();
    }

    @Test
    void backoffIsFullJitterUnderTheDoublingCap() {
        Duration first = Duration.ofMillis(10);
        Duration max = Duration.ofMillis(35);
        assertThat(Backoff.nanos(Duration.ZERO, max, 3)).isZero();
        for (int i = 0; i < 200; i++) {
            assertThat(Backoff.nanos(first, max, 1)).isBetween(0L, 10_000_000L);
            assertThat(Backoff.nanos(first, max, 2)).isBetween(0L, 20_000_000L);
            assertThat(Backoff.nanos(first, max, 30)).isBetween(0L, 35_000_000L);
        }
    }

    @Test
    void failuresAreNamedAfterTheirCause() {
        assertThat(AttemptErrors.unwrap(new CompletionException(new ExecutionException(new IOException("x")))))
                .isInstanceOf(IOException.class);
        assertThat(AttemptErrors.kindOf(new CancellationException())).isEqualTo(RaidaOutcome.Kind.CANCELLED);
        assertThat(AttemptErrors.kindOf(new RaidaTimeoutException("late"))).isEqualTo(RaidaOutcome.Kind.TIMEOUT);
        assertThat(AttemptErrors.kindOf(new IOException("wrapped", new ConnectException("no"))))
                .isEqualTo(RaidaOutcome.Kind.REFUSED);
        assertThat(AttemptErrors.kindOf(new IOException("Connection refused"))).isEqualTo(RaidaOutcome.Kind.REFUSED);
        assertThat(AttemptErrors.kindOf(new ResponseVerificationException("bad MAC")))
                .isEqualTo(RaidaOutcome.Kind.VERIFICATION_FAILED);
        assertThat(AttemptErrors.kindOf(new IOException("reset"))).isEqualTo(RaidaOutcome.Kind.ERROR);
        assertThat(AttemptErrors.detail(RaidaOutcome.Kind.TIMEOUT, new RaidaTimeoutException("late"), Transport.UDP,
                Duration.ofMillis(500))).isEqualTo("no reply over UDP within 500 ms");
        assertThat(AttemptErrors.detail(RaidaOutcome.Kind.REFUSED, new ConnectException("no"), Transport.TCP,
                Duration.ofMillis(500))).isEqualTo("TCP refused");
        assertThat(AttemptErrors.detail(RaidaOutcome.Kind.ERROR, new IOException("reset"), Transport.TCP,
                Duration.ofMillis(500))).isEqualTo("reset");
    }
}
