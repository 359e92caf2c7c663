package io.raida.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code client stats}: show_stats (0/2) with the admin key, printed as a table or, with
 * {@code --json}, as one JSON object for scripts.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = {"Ask one RAIDA for its counters (show_stats, 0/2) with the admin key.",
            "Give the key by --admin-key-file or RAIDA_ADMIN_KEY: --admin-key is visible to other users (ps)."},
        footer = {"Environment:", "  RAIDA_ADMIN_KEY  the admin key (32 hex digits) when no option gives it"})
final class ClientStatsCli implements Callable<Integer> {
    /** show_stats: status group 0, command 2; payload byte 16 = 2 asks for the extended block and the bulkheads. */
    static final int GROUP = 0;
    static final int CODE = 2;
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Mixin
    TargetOptions target;
    @Option(names = "--protocol", paramLabel = "udp|tcp", description = "default udp")
    String protocol;
    @Option(names = "--admin-key", paramLabel = "HEX", description = "the server's admin key, 32 hex digits "
            + "(visible in ps: prefer --admin-key-file or RAIDA_ADMIN_KEY)")
    String adminKey;
    @Option(names = "--admin-key-file", paramLabel = "FILE", description = "file whose first line is the admin key")
    Path adminKeyFile;
    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    ClientStatsCli(Cli cli) {
        this.cli = cli;
        this.target = new TargetOptions();
    }

    /** Payload byte 16 of show_stats: 1 the extended block, 2 that and the bulkhead section. */
    static final int EXTENDED = 1;
    static final int BULKHEADS = 2;

    /** The show_stats request: the admin key, then 1 for the extended block. */
    static ClientRequest request(int raidaId, int coinId, byte[] adminKey) {
        return request(raidaId, coinId, adminKey, EXTENDED);
    }

    /** The show_stats request: the admin key, then {@code level} ({@link #EXTENDED} or {@link #BULKHEADS}). */
    static ClientRequest request(int raidaId, int coinId, byte[] adminKey, int level) {
        byte[] payload = Arrays.copyOf(adminKey, adminKey.length + 1);
        payload[adminKey.length] = (byte) level;
        return RequestBuilder.command(raidaId, GROUP, CODE).coinId(coinId).payload(payload).build();
    }

    @Override
    public Integer call() throws Exception {
        String transport = target.transport();
        int raidaId = target.raidaId();
        int port = target.port();
        int coinId = target.coinId();
        Duration timeout = target.timeout();
        Transport proto = Transport.valueOf(Check.choice("--protocol", protocol, "udp", "udp", "tcp")
                .toUpperCase(Locale.ROOT));
        byte[] key = Secret.ADMIN_KEY.resolve(adminKey, adminKeyFile, cli);
        if (key == null) {
            throw new UsageException("client stats needs the admin key: --admin-key-file FILE, the environment "
                    + "variable RAIDA_ADMIN_KEY, or --admin-key HEX");
        }
        PrintStream out = cli.out();
        InetSocketAddress raida = new InetSocketAddress(target.host(), port);
        if (raida.isUnresolved()) {
            cli.err().println("client stats: cannot resolve host " + target.host());
            return Main.FAILED;
        }
        RaidaResponse r;
        try (RaidaClient client = RaidaTransportProvider.named(transport)
                .newClient(ClientOptions.builder().timeout(timeout).build())) {
            r = client.send(raida, request(raidaId, coinId, key, BULKHEADS), proto, timeout)
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            cli.err().println("client stats: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return Main.FAILED;
        } catch (TimeoutException e) {
            cli.err().println("client stats: no answer within " + timeout.toMillis() + " ms");
            return Main.FAILED;
        }
        if (r.status() == StatusCode.ERROR_ADMIN_AUTH.code()) {
            cli.err().println("client stats: RAIDA " + raidaId + " refused the admin key ("
                    + StatusCode.describe(r.status()) + ")");
            return Main.FAILED;
        }
        if (!r.isSuccess()) {
            cli.err().println("client stats: RAIDA " + raidaId + " answered " + StatusCode.describe(r.status()));
            return Main.FAILED;
        }
        StatsReply stats;
        try {
            stats = StatsReply.parse(r.payload());
        } catch (IllegalArgumentException e) {
            cli.err().println("client stats: " + e.getMessage());
            return Main.FAILED;
        }
        String where = target.host() + ":" + port;
        if (json) {
            out.println(json(stats, raidaId, where, proto));
        } else {
            out.printf("show_stats of RAIDA %d at %s (%s)%n", raidaId, where, proto.name().toLowerCase(Locale.ROOT));
            out.print(stats.table());
        }
        out.flush();
        return Main.OK;
    }

    static String json(StatsReply stats, int raidaId, String where, Transport proto) throws Exception {
        ObjectMapper m = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = m.createObjectNode();
        o.put("raida_id", raidaId);
        o.put("address", where);
        o.put("protocol", proto.name().toLowerCase(Locale.ROOT));
        stats.counters().forEach((k, v) -> o.put(StatsReply.jsonKey(k), v));
        ObjectNode statuses = o.putObject("requests_by_status");
        stats.byStatus().forEach((k, v) -> statuses.put(String.valueOf(k), v));
        if (stats.bulkheads() != null) {
            ArrayNode bulkheads = o.putArray("bulkheads");
            for (BulkheadReport.Bulkhead h : stats.bulkheads().bulkheads()) {
                bulkheads.addObject().put("name", h.name()).put("threads", h.threads()).put("queued", h.queued())
                        .put("running", h.running()).put("expired_before_start", h.expiredBeforeStart())
                        .put("overran", h.overran()).put("refused_at_admission", h.refusedAtAdmission());
            }
            ArrayNode breakers = o.putArray("breakers");
            for (BulkheadReport.Breaker k : stats.bulkheads().breakers()) {
                breakers.addObject().put("name", k.name()).put("state", k.state()).put("rejected", k.rejected())
                        .put("times_opened", k.timesOpened());
            }
        }
        return m.writeValueAsString(o);
    }
}
