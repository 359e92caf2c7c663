package io.raida.examples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demo}: the README's main job (see {@link DemoCommand}). */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = {"Run an embedded server on a free loopback port and the client against it.",
            "Echo and version under encryption types 0, 1 and 4, over UDP and TCP; exit 0 only if every call "
                    + "succeeded."})
final class DemoCli implements Callable<Integer> {
    private static final String LOG_LEVEL = LogLevelOption.DEFAULT_LEVEL;
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Option(names = "--transport", paramLabel = "nio|netty|both", description = "server transport(s) (default nio)")
    String transport;
    @Option(names = "--client-transport", paramLabel = "nio|netty", description = "client transport (default: the "
            + "server's)")
    String clientTransport;
    @Option(names = "--protocol", paramLabel = "udp|tcp|both", description = "default both")
    String protocol;
    @Option(names = "--types", paramLabel = "0,1,4", description = "encryption types to call with (default 0,1,4)")
    String types;
    @Option(names = "--timeout-ms", paramLabel = "MS", description = "per-call deadline (default 3000)")
    String timeoutMs;

    DemoCli(Cli cli) {
        this.cli = cli;
    }

    DemoCommand.Settings settings() throws UsageException {
        String t = Check.choice("--transport", transport, "nio", "nio", "netty", "both");
        List<String> servers = t.equals("both") ? List.of("nio", "netty") : List.of(t);
        String client = Check.choice("--client-transport", clientTransport, null, "nio", "netty");
        String p = Check.choice("--protocol", protocol, "both", "udp", "tcp", "both");
        String ty = types == null ? "0,1,4" : types;
        ClientSettings.calls(ty); // validate now, before any server starts
        int timeout = Check.integer("--timeout-ms", timeoutMs, 3_000, 1, 600_000);
        return new DemoCommand.Settings(servers, client, p, ty, Duration.ofMillis(timeout));
    }

    @Override
    public Integer call() throws UsageException {
        DemoCommand.Settings d = settings();
        // the demo prints its own report; the server logs only warnings unless asked otherwise
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        return DemoCommand.run(d, cli.out()) ? Main.OK : Main.FAILED;
    }
}
