package io.raida.protocol.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.RaidaServer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds one server's {@link ServerStats} to a Micrometer registry (Prometheus, Spring Boot
 * actuator, ...): {@code new RaidaMeterBinder(server, Tags.of("raida", "0")).bindTo(registry)}.
 *
 * <p>Meters (all read the live counters, nothing is copied):
 * {@code raida.server.requests} (function counter, tag {@code transport} = {@code tcp}/{@code udp}),
 * {@code raida.server.errors}, {@code raida.server.drops}, {@code raida.server.timeouts},
 * {@code raida.server.connections.rejected}, {@code raida.server.handler.failures},
 * {@code raida.server.source.refused} (tag {@code kind} = {@code connection-rate}/{@code open-connections}/{@code
 * datagram-rate}: what the per-source limits refused) (function counters),
 * {@code raida.server.connections.active} (gauge) and {@code raida.server.latency} (time gauge, tag
 * {@code quantile} = {@code 0.5}/{@code 0.99}, power-of-two bucket bounds).
 *
 * <p>Micrometer is an optional dependency of raida-protocol: add {@code io.micrometer:micrometer-core}
 * to use this class; nothing else in raida needs it.
 */
public final class RaidaMeterBinder implements MeterBinder {
    /** One description for every kind: a meter name has one description (one HELP line in Prometheus). */
    private static final String REFUSED_BY_SOURCE = "TCP connections and UDP requests refused by the per-source limits";

    private final ServerStats stats;
    private final Iterable<Tag> tags;

    /**
     * A binder for a server's counters.
     *
     * @param server the server to observe
     * @param tags   tags added to every meter, e.g. {@code Tags.of("raida", "0")}
     */
    public RaidaMeterBinder(RaidaServer server, Iterable<Tag> tags) {
        this(Objects.requireNonNull(server, "server").stats(), tags);
    }

    /**
     * A binder for a {@link ServerStats}.
     *
     * @param stats the counters to observe
     * @param tags  tags added to every meter
     */
    public RaidaMeterBinder(ServerStats stats, Iterable<Tag> tags) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "raida.server.requests", "requests answered", ServerStats::tcpRequests, "transport", "tcp");
        counter(registry, "raida.server.requests", "requests answered", ServerStats::udpRequests, "transport", "udp");
        counter(registry, "raida.server.errors", "requests answered with an error status", ServerStats::errors);
        counter(registry, "raida.server.drops", "requests dropped without a reply", ServerStats::drops);
        counter(registry, "raida.server.timeouts", "connections closed as too slow or silent", ServerStats::timeouts);
        counter(registry, "raida.server.connections.rejected", "connections refused at the limit",
                ServerStats::rejectedConnections);
        counter(registry, "raida.server.source.refused", REFUSED_BY_SOURCE,
                ServerStats::rateLimitedConnections, "kind", "connection-rate");
        counter(registry, "raida.server.source.refused", REFUSED_BY_SOURCE,
                ServerStats::sourceLimitedConnections, "kind", "open-connections");
        counter(registry, "raida.server.source.refused", REFUSED_BY_SOURCE,
                ServerStats::rateLimitedDatagrams, "kind", "datagram-rate");
        counter(registry, "raida.server.handler.failures", "handlers that threw (status 252)",
                ServerStats::handlerFailures);
        Gauge.builder("raida.server.connections.active", stats, ServerStats::activeConnections)
                .description("TCP connections open now").tags(tags).register(registry);
        for (double q : new double[] {0.5, 0.99}) {
            TimeGauge.builder("raida.server.latency", stats, TimeUnit.MICROSECONDS, s -> s.latencyQuantileMicros(q))
                    .description("latency quantile (upper bound of its power-of-two bucket)")
                    .tags(tags).tag("quantile", Double.toString(q)).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ServerStats> f,
            String... extraTags) {
        FunctionCounter.builder(name, stats, f).description(description).tags(tags).tags(extraTags)
                .register(registry);
    }
}
