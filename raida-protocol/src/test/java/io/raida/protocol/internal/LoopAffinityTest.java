package io.raida.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientCore;
import io.raida.protocol.client.ClientExchange;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.transport.ClientOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopAffinityTest {
    private static final String[] LOOPS = {"loop-0", "loop-1", "loop-2"};
    private final ClientCore core = new ClientCore(ClientOptions.defaults());
    private final AtomicInteger turn = new AtomicInteger();
    private final LoopAffinity<String> affinity = new LoopAffinity<>(() -> LOOPS[turn.getAndIncrement() % LOOPS.length]);

    private ClientExchange<RaidaResponse> call() {
        return core.newCall(new InetSocketAddress("127.0.0.1", 1), RequestBuilder.command(0, 0, 0).build(),
                Transport.TCP, Duration.ofSeconds(5));
    }

    @Test
    void aSequentialCallerStaysOnOneLoop() {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ClientExchange<RaidaResponse> c = call();
            chosen.add(affinity.choose(c));
            c.timedOut("ended before the next call"); // any ending counts
        }
        assertThat(chosen).containsOnly("loop-0");
        assertThat(turn).hasValue(1);
    }

    @Test
    void overlappingCallsGoRoundRobin() {
        List<String> chosen = new ArrayList<>();
        List<ClientExchange<RaidaResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ClientExchange<RaidaResponse> c = call();
            chosen.add(affinity.choose(c));
            inFlight.add(c);
        }
        assertThat(chosen).containsExactly("loop-0", "loop-1", "loop-2", "loop-0", "loop-1", "loop-2");
        inFlight.forEach(c -> c.future().cancel(false));
    }

    @Test
    void afterABurstEndsTheNextCallReusesTheLastLoop() {
        List<ClientExchange<RaidaResponse>> burst = new ArrayList<>();
        String last = null;
        for (int i = 0; i < 4; i++) {
            ClientExchange<RaidaResponse> c = call();
            last = affinity.choose(c);
            burst.add(c);
        }
        burst.forEach(c -> c.future().cancel(false));
        assertThat(affinity.choose(call())).isEqualTo(last).isEqualTo("loop-0");
    }
}
