package io.raida.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code network-server}: 25 example RAIDA in one process on 127.0.0.1:P..P+24, each with its page
 * store under DIR/raida-NN, the coin and healing commands and integrity sync with the other 24.
 */
@Command(name = "network-server", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = {"Run a 25-RAIDA network in one process on 127.0.0.1:P..P+24 until SIGINT/SIGTERM.",
            "Each RAIDA keeps its page store in DIR/raida-NN and syncs with the other 24.",
            "An empty DIR gets demo coins (a different AN on each RAIDA) and their coin files in DIR/coins."},
        footer = {"Environment:", "  RAIDA_ADMIN_KEY  the admin key (32 hex digits) when no option gives it"})
final class NetworkServerCli implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkServerCli.class);
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Option(names = "--base-port", paramLabel = "P", description = "RAIDA i listens on P+i, TCP and UDP (default 50000)")
    String basePort;
    @Option(names = "--data-dir", paramLabel = "DIR", required = true,
            description = "the 25 page stores (DIR/raida-NN) and, when created, the demo coin files (DIR/coins)")
    Path dataDir;
    @Option(names = "--transport", paramLabel = "nio|netty", description = "transport (default nio)")
    String transport;
    @Option(names = "--admin-key", paramLabel = "HEX", description = "show_stats key of all 25, 32 hex digits (visible "
            + "in ps: prefer --admin-key-file or RAIDA_ADMIN_KEY)")
    String adminKey;
    @Option(names = "--admin-key-file", paramLabel = "FILE", description = "file whose first line is the admin key")
    Path adminKeyFile;
    @Option(names = "--sync-interval", paramLabel = "SECONDS", description = "time between sync cycles (default 3600)")
    String syncInterval;

    NetworkServerCli(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        int base = Check.integer("--base-port", basePort, 50_000, 1, 65_535 - 24);
        String t = Check.choice("--transport", transport, "nio", "nio", "netty");
        Duration sync = Duration.ofSeconds(Check.integer("--sync-interval", syncInterval, 3_600, 1, 86_400 * 7));
        byte[] key = Secret.ADMIN_KEY.resolve(adminKey, adminKeyFile, cli);
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new UsageException("--data-dir " + dataDir + " is not a directory");
        }
        return Main.untilStopped(cli, stop -> {
            NetworkServer network;
            try {
                network = NetworkServer.start(base, dataDir, t, sync, key);
            } catch (IOException | RuntimeException e) {
                if (ServerCommand.portInUse(e)) {
                    cli.err().println("network-server: a port in " + base + ".." + (base + 24) + " is already in use");
                } else {
                    cli.err().println("network-server: cannot start: " + e);
                }
                return Main.FAILED;
            }
            try (network) {
                cli.out().println("25 RAIDA listening on 127.0.0.1:" + base + ".." + (base + 24) + " (" + t
                        + "), page stores in " + dataDir);
                List<Path> coins = coinFiles(NetworkServer.coinDir(dataDir));
                if (!coins.isEmpty()) {
                    cli.out().println("coin files: " + NetworkServer.coinDir(dataDir) + " (" + coins.size()
                            + "), e.g. network detect --base-port " + base + " " + coins.get(0));
                }
                cli.out().flush();
                network.servers().forEach(r -> r.server().onFailure(x -> stop.countDown()));
                cli.started().accept(network);
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Main.OK;
        });
    }

    private static List<Path> coinFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("listing the coin files in {} failed: {}", dir, e.toString());
            return List.of();
        }
    }
}
