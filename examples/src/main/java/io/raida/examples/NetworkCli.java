package io.raida.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raida.protocol.StatusCode;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.cluster.RaidaOutcome;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code network}: one request to all 25 RAIDA at once (echo, version, roots, stats) and the coin
 * commands on coin files (detect, pown, find, fix, heal; see {@link NetworkCoinCli}), and sending coins by
 * transmit code ({@code locker put|peek|remove}; see {@link NetworkLockerCli}).
 */
@Command(name = "network", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NetworkCli.Echo.class, NetworkCli.Version.class, NetworkCli.Roots.class, NetworkCli.Stats.class,
            NetworkCoinCli.Detect.class, NetworkCoinCli.Pown.class, NetworkCoinCli.Find.class,
            NetworkCoinCli.Fix.class, NetworkCoinCli.Heal.class, NetworkLockerCli.class},
        description = {"Talk to all 25 RAIDA at once: a 25-row table (RAIDA, status, transport, attempts, ms).",
            "Exit status: 0 when at least 13 RAIDA answered (detect, pown, find, fix, heal: when every coin is "
                    + "authentic or fracked; locker: see its commands), 1 otherwise, 2 usage error."})
final class NetworkCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    LogLevelOption logLevel;

    NetworkCli(Cli cli) {
        // the subcommands get the Cli through Main's factory
    }

    @Override
    public Integer call() {
        throw Main.missingCommand(spec);
    }

    /** What every {@code network} command shares: the options, the cluster, the table and the JSON. */
    abstract static class Base implements Callable<Integer> {
        final Cli cli;
        @Mixin
        LogLevelOption logLevel;
        @Mixin
        NetworkOptions net;

        Base(Cli cli) {
            this.cli = cli;
            this.net = new NetworkOptions();
        }

        /** The command word, e.g. "echo". */
        abstract String name();

        /** Checks the arguments before anything is sent (throws UsageException). */
        void check() throws UsageException {
        }

        /** Runs against the cluster and returns the exit status. */
        abstract int run(RaidaCluster cluster) throws Exception;

        @Override
        public final Integer call() throws Exception {
            RaidaNetwork network = net.network();
            var options = net.options();
            String transport = net.transport();
            check();
            try (RaidaCluster cluster = RaidaCluster.builder(network).transport(RaidaTransportProvider.named(transport))
                    .options(options).build()) {
                return run(cluster);
            }
        }

        /** Waits for {@code f} with a progress line on a terminal. */
        <T> T await(RaidaCluster cluster, java.util.concurrent.CompletableFuture<T> f) throws Exception {
            try (Progress p = Progress.start(cli, "network " + name(), cluster)) {
                return f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }

        /** The 25-row table of {@code reply}; {@code extra} adds a column (header, value per RAIDA) when non-null. */
        void table(PrintStream out, RaidaCluster cluster, ClusterReply reply, String extraHeader,
                   IntFunction<String> extra) {
            StringBuilder h = new StringBuilder(String.format("%-5s  %-28s  %-9s  %-8s  %6s", "RAIDA", "status",
                    "transport", "attempts", "ms"));
            if (net.types) {
                h.append(String.format("  %-18s", "type"));
            }
            if (extraHeader != null) {
                h.append("  ").append(extraHeader);
            }
            out.println(h.toString().stripTrailing());
            for (RaidaOutcome o : reply.outcomes()) {
                StringBuilder l = new StringBuilder(String.format("%-5d  %-28s  %-9s  %-8d  %6d", o.raidaId(),
                        status(o), transport(o), o.attempts(), o.latency().toMillis()));
                if (net.types) {
                    l.append(String.format("  %-18s", type(cluster, o.raidaId())));
                }
                if (extraHeader != null) {
                    l.append("  ").append(extra.apply(o.raidaId()));
                }
                out.println(l.toString().stripTrailing());
            }
            out.printf("%d of 25 RAIDA answered, %d ms%n", reply.replied(), reply.elapsed().toMillis());
        }

        /** The 25 outcomes as JSON objects. */
        ArrayNode json(ObjectNode parent, RaidaCluster cluster, ClusterReply reply, String extraKey,
                       IntFunction<String> extra) {
            ArrayNode a = parent.putArray("raida");
            for (RaidaOutcome o : reply.outcomes()) {
                ObjectNode r = a.addObject();
                r.put("raida_id", o.raidaId());
                r.put("outcome", o.kind().name().toLowerCase(Locale.ROOT));
                if (o.replied()) {
                    r.put("status", o.status());
                }
                r.put("status_text", status(o));
                r.put("transport", transport(o));
                r.put("attempts", o.attempts());
                r.put("ms", o.latency().toMillis());
                if (!o.detail().isEmpty()) {
                    r.put("detail", o.detail());
                }
                if (net.types) {
                    r.put("type", type(cluster, o.raidaId()));
                }
                if (extraKey != null) {
                    r.put(extraKey, extra.apply(o.raidaId()));
                }
            }
            parent.put("answered", reply.replied());
            parent.put("succeeded", reply.successes());
            parent.put("elapsed_ms", reply.elapsed().toMillis());
            return a;
        }

        ObjectNode jsonRoot(ObjectMapper m) {
            ObjectNode o = m.createObjectNode();
            o.put("command", "network " + name());
            return o;
        }

        static String status(RaidaOutcome o) {
            if (o.replied()) {
                return StatusCode.describe(o.status());
            }
            return o.kind().name().toLowerCase(Locale.ROOT);
        }

        static String transport(RaidaOutcome o) {
            return o.transport() == null ? "-" : o.transport().name().toLowerCase(Locale.ROOT);
        }

        static String type(RaidaCluster cluster, int raidaId) {
            return "0" + cluster.learnedKeystream(raidaId).map(k -> " " + k.name().toLowerCase(Locale.ROOT)).orElse("");
        }

        /** The plain-request commands: one fan-out, the table, exit 0 with at least 13 successes. */
        int simple(RaidaCluster cluster, ClusterReply reply, String extraHeader, IntFunction<String> extra)
                throws Exception {
            PrintStream out = cli.out();
            if (net.json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = jsonRoot(m);
                json(root, cluster, reply, extraHeader, extra);
                root.put("ok", reply.successes() >= Grade.QUORUM);
                out.println(m.writeValueAsString(root));
            } else {
                table(out, cluster, reply, extraHeader, extra);
            }
            out.flush();
            return reply.successes() >= Grade.QUORUM ? Main.OK : Main.FAILED;
        }
    }

    /** {@code network echo}. */
    @Command(name = "echo", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = "Echo (0/0) all 25 RAIDA: which answer, over which transport, how fast.")
    static final class Echo extends Base {
        Echo(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "echo";
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            return simple(cluster, await(cluster, cluster.echo()), null, null);
        }
    }

    /** {@code network version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = "The version string (0/1) of all 25 RAIDA.")
    static final class Version extends Base {
        Version(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "version";
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            ClusterReply r = await(cluster, cluster.version(null));
            return simple(cluster, r, "version", id -> {
                RaidaOutcome o = r.outcome(id);
                return o.isSuccess() ? new String(o.response().payload(), StandardCharsets.US_ASCII) : "-";
            });
        }
    }

    /** {@code network roots}. */
    @Command(name = "roots", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"The Merkle roots (14/5) of all 25 RAIDA and which agree: the roots column names each "
                    + "distinct vector (A = the most common one).",
                "The leaves hash the ANs (integrity.md §3): RAIDA holding different ANs for the same coins, as on a "
                    + "normal network, have different roots (\"own\"); that is not a fault."})
    static final class Roots extends Base {
        /** 14/5 takes and returns the 480-byte roots vector (integrity.md §7). */
        private static final int ROOTS_SIZE = 480;
        private static final int GROUP = 14;
        private static final int CODE = 5;

        Roots(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "roots";
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            // the request of IntegrityClient.allRoots: type 0, group 14, code 5, a 480-byte (ignored) payload
            ClusterReply r = await(cluster, cluster.call(id -> RequestBuilder.command(id, GROUP, CODE)
                    .coinId(CoinFile.COIN_ID).unencrypted().payload(new byte[ROOTS_SIZE]).build()));
            // first seen first: equal counts keep RAIDA order (stable sort), so labels are reproducible
            Map<String, Integer> counts = new LinkedHashMap<>();
            String[] hex = new String[RaidaNetwork.SIZE];
            for (RaidaOutcome o : r.outcomes()) {
                if (o.isSuccess() && o.response().payloadLength() == ROOTS_SIZE) {
                    hex[o.raidaId()] = HexFormat.of().formatHex(o.response().payload());
                    counts.merge(hex[o.raidaId()], 1, Integer::sum);
                }
            }
            List<String> order = new ArrayList<>(counts.keySet());
            order.sort((a, b) -> counts.get(b) - counts.get(a));
            boolean allDistinct = order.size() > 1 && counts.get(order.get(0)) == 1;
            IntFunction<String> column = id -> {
                if (hex[id] == null) {
                    return "-";
                }
                int g = order.indexOf(hex[id]);
                String label = g < 26 ? String.valueOf((char) ('A' + g)) : "#" + g;
                String how = allDistinct ? " own" : g == 0 ? " agree" : " differ";
                return label + how + " (" + counts.get(hex[id]) + ")";
            };
            int code = simple(cluster, r, "roots", column);
            if (!net.json) {
                cli.out().println(summary(order.size(), order.isEmpty() ? 0 : counts.get(order.get(0))));
            }
            return code;
        }

        /**
         * The line under the table. The leaves hash the ANs (integrity.md §3), so RAIDA that hold a
         * different AN for the same coin, as on a normal network, never share a root: distinct roots are
         * only a fault between RAIDA meant to hold identical pages.
         */
        static String summary(int vectors, int largest) {
            if (vectors <= 1) {
                return "all answering RAIDA agree on the roots";
            }
            if (largest == 1) {
                return vectors + " different roots vectors, one per RAIDA: expected when each RAIDA holds its own"
                        + " ANs for the same coins (the Merkle leaves hash the ANs, integrity.md §3), not a fault;"
                        + " roots agree only between RAIDA holding identical pages, and the sync changes nothing"
                        + " unless 13 agree";
            }
            return vectors + " different roots vectors; " + largest + " RAIDA agree on A"
                    + (largest >= 13 ? " (a majority: the sync heals the others toward A)"
                            : " (fewer than 13: the sync changes nothing)");
        }
    }

    /** {@code network stats}. */
    @Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"show_stats (0/2) of all 25 RAIDA with the admin key: requests served by each.",
                "Give the key by --admin-key-file or RAIDA_ADMIN_KEY: --admin-key is visible to other users (ps)."},
            footer = {"Environment:", "  RAIDA_ADMIN_KEY  the admin key (32 hex digits) when no option gives it"})
    static final class Stats extends Base {
        @Option(names = "--admin-key", paramLabel = "HEX", description = "the servers' admin key, 32 hex digits "
                + "(visible in ps: prefer --admin-key-file or RAIDA_ADMIN_KEY)")
        String adminKey;
        @Option(names = "--admin-key-file", paramLabel = "FILE", description = "file whose first line is the admin key")
        Path adminKeyFile;
        private byte[] key;

        Stats(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "stats";
        }

        @Override
        void check() throws UsageException {
            key = Secret.ADMIN_KEY.resolve(adminKey, adminKeyFile, cli);
            if (key == null) {
                throw new UsageException("network stats needs the admin key: --admin-key-file FILE, the environment "
                        + "variable RAIDA_ADMIN_KEY, or --admin-key HEX");
            }
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            ClusterReply r = await(cluster, cluster.call(id -> ClientStatsCli.request(id,
                    CoinFile.COIN_ID, key)));
            return simple(cluster, r, "requests", id -> {
                RaidaOutcome o = r.outcome(id);
                if (!o.isSuccess()) {
                    return "-";
                }
                try {
                    StatsReply s = StatsReply.parse(o.response().payload());
                    Long n = s.counters().values().stream().findFirst().orElse(null);
                    return n == null ? "-" : String.valueOf(n);
                } catch (IllegalArgumentException e) {
                    return "bad reply";
                }
            });
        }
    }
}
