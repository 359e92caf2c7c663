package io.raida.protocol.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raida.protocol.cluster.ClusterStats;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaOutcome;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.RaidaServer;
import java.util.Locale;
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
 * <p>For a cluster client ({@code new RaidaMeterBinder(cluster, tags)}, counters of
 * {@link ClusterStats}): {@code raida.cluster.fanouts} (function counter, tag {@code result} =
 * {@code started}/{@code completed}/{@code early}/{@code failed}), {@code raida.cluster.outcomes}
 * (function counter, tag {@code kind} = {@code status}/{@code timeout}/{@code refused}/
 * {@code verification_failed}/{@code error}/{@code cancelled}), {@code raida.cluster.replies} (tag
 * {@code transport} = {@code tcp}/{@code udp}), {@code raida.cluster.attempts},
 * {@code raida.cluster.calibrations} (function counters) and {@code raida.cluster.inflight} (gauge).
 *
 * <p>Micrometer is an optional dependency of raida-protocol: add {@code io.micrometer:micrometer-core}
 * to use this class; nothing else in raida needs it.
 */
public final class RaidaMeterBinder implements MeterBinder {
    /** One description for every kind: a meter name has one description (one HELP line in Prometheus). */
    private static final String REFUSED_BY_SOURCE = "TCP connections and UDP requests refused by the per-source limits";

    private final ServerStats stats;
    private final ClusterStats clusterStats;
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
        this.clusterStats = null;
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * A binder for a cluster client's outcome counters ({@link RaidaCluster#stats()}).
     *
     * @param cluster the cluster to observe
     * @param tags    tags added to every meter, e.g. {@code Tags.of("cluster", "wallet")}
     */
    public RaidaMeterBinder(RaidaCluster cluster, Iterable<Tag> tags) {
        this(Objects.requireNonNull(cluster, "cluster").stats(), tags);
    }

    /**
     * A binder for a {@link ClusterStats}.
     *
     * @param stats the counters to observe
     * @param tags  tags added to every meter
     */
    public RaidaMeterBinder(ClusterStats stats, Iterable<Tag> tags) {
        this.stats = null;
        this.clusterStats = Objects.requireNonNull(stats, "stats");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (clusterStats != null) {
            bindCluster(registry);
            return;
        }
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

    private void bindCluster(MeterRegistry registry) {
        clusterCounter(registry, "raida.cluster.fanouts", "fan-outs to the 25 RAIDA", ClusterStats::fanOuts,
                "result", "started");
        clusterCounter(registry, "raida.cluster.fanouts", "fan-outs to the 25 RAIDA", ClusterStats::fanOutsCompleted,
                "result", "completed");
        clusterCounter(registry, "raida.cluster.fanouts", "fan-outs to the 25 RAIDA",
                ClusterStats::fanOutsDecidedEarly, "result", "early");
        clusterCounter(registry, "raida.cluster.fanouts", "fan-outs to the 25 RAIDA", ClusterStats::fanOutsFailed,
                "result", "failed");
        for (RaidaOutcome.Kind kind : RaidaOutcome.Kind.values()) {
            if (kind != RaidaOutcome.Kind.PENDING) {
                clusterCounter(registry, "raida.cluster.outcomes", "final per-RAIDA outcomes of settled fan-outs",
                        s -> s.outcomes(kind), "kind", kind.name().toLowerCase(Locale.ROOT));
            }
        }
        clusterCounter(registry, "raida.cluster.replies", "RAIDA replies by transport", ClusterStats::repliesOverTcp,
                "transport", "tcp");
        clusterCounter(registry, "raida.cluster.replies", "RAIDA replies by transport", ClusterStats::repliesOverUdp,
                "transport", "udp");
        clusterCounter(registry, "raida.cluster.attempts", "requests sent, retries included",
                ClusterStats::attempts);
        clusterCounter(registry, "raida.cluster.calibrations", "keystream calibration requests sent",
                ClusterStats::calibrationRequests);
        Gauge.builder("raida.cluster.inflight", clusterStats, ClusterStats::inFlight)
                .description("requests waiting for a reply now").tags(tags).register(registry);
    }

    private void clusterCounter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<ClusterStats> f, String... extraTags) {
        functionCounter(registry, name, description, clusterStats, f, extraTags);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ServerStats> f,
            String... extraTags) {
        functionCounter(registry, name, description, stats, f, extraTags);
    }

    private <T> void functionCounter(MeterRegistry registry, String name, String description, T source,
            ToDoubleFunction<T> f, String... extraTags) {
        FunctionCounter.builder(name, source, f).description(description).tags(tags).tags(extraTags)
                .register(registry);
    }
}
