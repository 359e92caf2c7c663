package io.raida.examples;

import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * {@code java -jar raida-examples.jar demo|server|client|cc2-simulator [options]}. Exit status: 0
 * success, 1 a call, the server or the simulator failed, 2 usage error.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: java -jar raida-examples.jar <demo|server|client|cc2-simulator|help> [options]",
            "  demo    start an embedded server on a free loopback port and run the client against it",
            "          [--transport nio|netty|both] [--client-transport nio|netty] [--protocol udp|tcp|both]",
            "          [--types 0,1,4] [--timeout-ms 3000]",
            "  server  run one RAIDA on one port (TCP and UDP) until SIGINT/SIGTERM",
            "          [--transport nio|netty] [--host 127.0.0.1] [--port 50000+raida-id] [--raida-id 0]",
            "          [--coin-id 6] [--threads N] [--io-threads 1] [--admin-key 32-hex-digits]",
            "          [--version-string 8-chars] [--data-dir DIR [--peers host:port,... (25, index = RAIDA id)]",
            "          [--sync-interval seconds]]   (without --data-dir: the demo coins in memory)",
            "          [--cc2-socket PATH]   (forward shard-2 detects, group 1 code 10, to the CC2 back end)",
            "  client  call echo and version with encryption types 0, 1 and 4",
            "          [--transport nio|netty] [--host 127.0.0.1] [--port 50000+raida-id] [--raida-id 0]",
            "          [--coin-id 6] [--protocol udp|tcp|both] [--types 0,1,4] [--keystream continue|restart]",
            "          [--denomination D --serial-number SN --an 32-hex-digits] [--timeout-ms 3000]",
            "          [--detect-shard2 SN:AN[,SN:AN...]]   instead of echo/version: a shard-2 detect",
            "          (AN = 32 hex digits; --types defaults to 0); prints 241/242/243 and pass/fail per coin",
            "  cc2-simulator  a CC2 back end on a Unix socket with the shard-2 demo coins, until SIGINT/SIGTERM",
            "          --socket PATH",
            "Without options the server and client use the demo configuration: RAIDA 0, coin id 6 and the",
            "demo coins of io.raida.examples.DemoCoins.");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    /**
     * Runs one subcommand.
     *
     * @param signals true to let SIGINT/SIGTERM stop the {@code server} and {@code cc2-simulator}
     *                subcommands (shutdown hook); tests pass false and stop them otherwise
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean signals) {
        if (args.length == 0) {
            return usage(err, "missing subcommand");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "demo":
                    DemoCommand.Settings demo = DemoCommand.parse(rest);
                    // the demo prints its own report; server logs only warnings unless asked otherwise
                    if (System.getProperty(LOG_LEVEL) == null) {
                        System.setProperty(LOG_LEVEL, "warn");
                    }
                    return DemoCommand.run(demo, out) ? OK : FAILED;
                case "server": {
                    ServerSettings s = ServerSettings.parse(rest);
                    return untilStopped(signals, stop -> ServerCommand.run(s, stop, server -> { }));
                }
                case "client":
                    return client(ClientSettings.parse(rest), out);
                case "cc2-simulator": {
                    Cc2SimulatorCommand.Settings s = Cc2SimulatorCommand.parse(rest);
                    return untilStopped(signals, stop -> Cc2SimulatorCommand.run(s, stop, sim -> { }, out));
                }
                case "help":
                case "-h":
                case "--help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    return usage(err, "unknown subcommand \"" + args[0] + "\"");
            }
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        }
    }

    private static int usage(PrintStream err, String reason) {
        err.println("error: " + reason);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    /** Runs {@code command} until {@code stop} opens: with {@code signals}, on SIGINT/SIGTERM. */
    private static int untilStopped(boolean signals, ToIntFunction<CountDownLatch> command) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        if (signals) {
            // SIGINT/SIGTERM run the hooks; this one lets the main thread close the server (draining
            // in-flight requests) and waits for it before the JVM goes down.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "raida-shutdown"));
        }
        try {
            return command.applyAsInt(stop);
        } finally {
            closed.countDown();
        }
    }

    private static int client(ClientSettings s, PrintStream out) {
        InetSocketAddress raida = new InetSocketAddress(s.host(), s.port());
        if (raida.isUnresolved()) {
            out.println("client: cannot resolve host " + s.host());
            return FAILED;
        }
        out.printf("%s client -> RAIDA %d at %s:%d, coin id %d, key %s%s%n", s.transport(), s.raidaId(), s.host(),
                s.port(), s.coinId(), s.coin(), s.shard2Coins().isEmpty() ? ""
                        : ", shard-2 detect of " + s.shard2Coins().size() + " coins");
        RaidaTransportProvider provider;
        try {
            provider = RaidaTransportProvider.named(s.transport());
        } catch (IllegalArgumentException e) {
            out.println("client: " + e.getMessage());
            return FAILED;
        }
        try (RaidaClient client = provider.newClient(ClientOptions.builder().timeout(s.timeout()).build())) {
            List<CallResult> results = s.shard2Coins().isEmpty() ? CallRunner.run(client, raida, s, out)
                    : Shard2Detect.run(client, raida, s, out);
            return CallRunner.summarize("client", results, out) ? OK : FAILED;
        }
    }
}
