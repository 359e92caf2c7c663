package io.raida.examples;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The RAIDA a client command talks to, and how: shared by {@code client} and {@code client stats}. */
final class TargetOptions {
    @Option(names = "--transport", paramLabel = "nio|netty", description = "client transport (default nio)")
    String transport;
    @Option(names = "--host", paramLabel = "HOST", description = "server address (default 127.0.0.1)")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "server port (default 50000 + RAIDA id)")
    String port;
    @Option(names = "--raida-id", paramLabel = "0..24", description = "the RAIDA id the server expects (default 0)")
    String raidaId;
    @Option(names = "--coin-id", paramLabel = "ID", description = "coin id put in the header (default 6)")
    String coinId;
    @Option(names = "--timeout-ms", paramLabel = "MS", description = "per-call deadline (default 3000)")
    String timeoutMs;

    String transport() throws UsageException {
        return Check.choice("--transport", transport, "nio", "nio", "netty");
    }

    String host() {
        return host == null ? "127.0.0.1" : host;
    }

    int raidaId() throws UsageException {
        return Check.integer("--raida-id", raidaId, DemoCoins.RAIDA_ID, 0, 24);
    }

    int port() throws UsageException {
        return Check.integer("--port", port, ServerSettings.conventionalPort(raidaId()), 1, 65_535);
    }

    int coinId() throws UsageException {
        return Check.integer("--coin-id", coinId, DemoCoins.COIN_ID, 0, 65_535);
    }

    Duration timeout() throws UsageException {
        return Duration.ofMillis(Check.integer("--timeout-ms", timeoutMs, 3_000, 1, 600_000));
    }
}
