package io.raida.transport.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Transport;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.ServerOptions;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-process transport has source addresses (loopback, one port per call), so it calls the
 * core's per-source seam like the socket transports: with loopback limited, a source over its
 * connection rate gets no reply and one over its UDP rate is dropped, both counted.
 */
class InProcessSourceLimitsTest {
    private static final int RAIDA = 0;

    /** The reply to one call: null when nothing came back (dropped), empty when closed unanswered. */
    private static byte[] call(InProcessRaidaClient client, InProcessRaidaServer server, Transport t) {
        // an unregistered command: a lookup and an error reply, so it costs work over UDP
        byte[] frame = RequestBuilder.command(RAIDA, 200, 0).build().frame();
        try {
            // answered on the calling thread before exchange returns: a short wait refills few tokens
            return client.exchange(server.localAddress(), frame, t, Duration.ofMillis(100)).join();
        } catch (CompletionException noReply) {
            return null;
        }
    }

    @Test
    void sourcesOverTheirRatesGetNoReplyAndAreCounted() {
        ServerCore core = ServerCore.builder().raidaId(RAIDA).build();
        ServerOptions options = ServerOptions.builder().sourceLimits(s -> s.limitLoopbackSources(true)
                .connectionRatePerSource(1, 3)
                .datagramRatePerSource(1, 3)).build();
        try (InProcessRaidaServer server = InProcessRaidaServer.create(core, options).start();
             InProcessRaidaClient client = InProcessRaidaClient.create(ClientOptions.defaults())) {
            ServerStats stats = server.stats();
            for (Transport t : Transport.values()) {
                long t0 = System.nanoTime();
                int answered = 0;
                for (int i = 0; i < 20; i++) {
                    byte[] reply = call(client, server, t);
                    if (reply != null && reply.length > 0) { // a closed connection reads as no bytes
                        answered++;
                    }
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + 1;
                assertThat(answered).as("%s: the burst of 3 and what 1/s refilled meanwhile", t)
                        .isBetween(3, 3 + (int) seconds);
                long refused = t == Transport.TCP ? stats.rateLimitedConnections() : stats.rateLimitedDatagrams();
                assertThat(refused).as("%s refusals counted", t).isEqualTo(20 - answered).isPositive();
            }
            assertThat(stats.activeConnections()).isZero();
            assertThat(stats.sourceLimitedConnections()).isZero();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
