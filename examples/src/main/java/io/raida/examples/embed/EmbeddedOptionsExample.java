package io.raida.examples.embed;

import io.raida.protocol.transport.ServerOptions;
import java.time.Duration;

/**
 * Server options beyond the defaults: the endpoint set directly, the rest edited group by group,
 * each edit keeping the group's values it does not name. The README quotes the lines between the
 * tag comments; {@code EmbeddedOptionsExampleTest} checks what they set.
 */
public final class EmbeddedOptionsExample {

    private EmbeddedOptionsExample() {
    }

    /**
     * Options for a busier server than the defaults assume.
     *
     * @return the options
     */
    public static ServerOptions options() {
        // tag::embed-options[]
        ServerOptions options = ServerOptions.builder()
                .host("127.0.0.1").port(0)
                .timeouts(t -> t.readTimeout(Duration.ofSeconds(5)).tcpDeadline(Duration.ofSeconds(20)))
                .workerPools(w -> w.workerThreads(32).waitingThreads(16))
                .connectionLimits(c -> c.maxConnections(20_000))
                .sourceLimits(s -> s.maxConnectionsPerSource(64).datagramRatePerSource(500, 1_000))
                .build();
        // end::embed-options[]
        return options;
    }
}
