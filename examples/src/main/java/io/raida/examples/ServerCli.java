package io.raida.examples;

import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.WorkerPools;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code server}: one RAIDA on one port (TCP and UDP) until SIGINT/SIGTERM. Options override
 * {@code --config}; every value is checked before anything starts (see {@link ServerCommand} for
 * what runs).
 */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = {"Run one RAIDA on one port (TCP and UDP) until SIGINT/SIGTERM.",
            "Without options: RAIDA 0, coin id 6, the demo coins in memory, NIO on 127.0.0.1:50000.",
            "Options override the keys of --config; a secret is best given by file or environment."},
        footer = {"Environment:", "  RAIDA_ADMIN_KEY  the admin key (32 hex digits) when no option gives it; it "
                + "overrides admin_key of --config"})
final class ServerCli implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Option(names = "--config", paramLabel = "FILE",
            description = "the reference server's config.toml ([server] raida_id, coin_id, port, threads, admin_key, "
                    + "root_path, udp_effective_payload, synchronization_enabled, integrity_freq, raida_servers)")
    Path config;
    @Option(names = "--transport", paramLabel = "nio|netty", description = "transport (default nio); the name of "
            + "any other RaidaTransportProvider on the class path is taken too")
    String transport;
    @Option(names = "--host", paramLabel = "ADDRESS", description = "bind address (default 127.0.0.1)")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "TCP and UDP port, 0 = any free one "
            + "(default 50000 + RAIDA id)")
    String port;
    @Option(names = "--raida-id", paramLabel = "0..24", description = "this server's RAIDA id (default 0)")
    String raidaId;
    @Option(names = "--coin-id", paramLabel = "ID", description = "coin id requests must carry (default 6)")
    String coinId;
    @Option(names = "--threads", paramLabel = "N", description = "command-handler threads (default max(8, 2 × I/O threads))")
    String threads;
    @Option(names = "--io-threads", paramLabel = "N", description = "event-loop threads (default: the available processors, at most 16)")
    String ioThreads;
    @Option(names = "--admin-key", paramLabel = "HEX", description = "show_stats key, 32 hex digits (visible in ps: "
            + "prefer --admin-key-file or RAIDA_ADMIN_KEY)")
    String adminKey;
    @Option(names = "--admin-key-file", paramLabel = "FILE", description = "file whose first line is the admin key")
    Path adminKeyFile;
    @Option(names = "--version-string", paramLabel = "8-CHARS", description = "what the version command returns")
    String versionString;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "page store in the reference layout "
            + "(DIR/Data/<DD>/<PP>/<NNNN>.bin): keys from it, integrity service on; must exist unless --init")
    Path dataDir;
    @Option(names = "--init", description = "create --data-dir as an empty page store if it does not exist")
    boolean init;
    @Option(names = "--peers", paramLabel = "HOST:PORT,...", description = "all 25 RAIDA, index = RAIDA id, '-' for "
            + "this one: turns on sync and heal (needs --data-dir)")
    String peers;
    @Option(names = "--sync-interval", paramLabel = "SECONDS", description = "time between sync cycles (default 3600)")
    String syncInterval;
    @Option(names = "--cc2-socket", paramLabel = "PATH", description = "forward shard-2 detects (group 1, code 10) to "
            + "the CC2 back end on this Unix socket")
    String cc2Socket;

    ServerCli(Cli cli) {
        this.cli = cli;
    }

    /** {@link ServerSettings#parse}: the words through the same parser and checks, without environment. */
    static ServerSettings settingsOf(List<String> words) throws UsageException {
        ServerCli s = new ServerCli(Cli.wordsOnly());
        Main.parseOnly(s, words);
        return s.settings();
    }

    @Override
    public Integer call() throws UsageException {
        ServerSettings s = settings();
        checkPortFree(s.host(), s.port());
        if (init && s.dataDir() != null) {
            createStore(s.dataDir()); // only once nothing else stands in the way
        }
        return Main.untilStopped(cli, stop -> ServerCommand.run(s, stop, cli.started()::accept));
    }

    /** The settings: defaults, then {@code --config}, then the environment, then the options. */
    ServerSettings settings() throws UsageException {
        ReferenceConfig c = config == null ? null : ReferenceConfig.read(config, cli);
        String t = Check.serverTransport(transport);
        String h = host == null ? "127.0.0.1" : host;
        int id = Check.integer("--raida-id", raidaId, c == null || c.raidaId() == null ? DemoCoins.RAIDA_ID
                : c.raidaId(), 0, 24);
        int p = Check.integer("--port", port, c == null || c.port() == null ? ServerSettings.conventionalPort(id)
                : c.port(), 0, 65_535);
        int coin = Check.integer("--coin-id", coinId, c == null || c.coinId() == null ? DemoCoins.COIN_ID
                : c.coinId(), 0, 65_535);
        ServerOptions defaults = ServerOptions.defaults();
        int io = Check.integer("--io-threads", ioThreads, defaults.ioThreads(), 1, 256);
        int workers = Check.integer("--threads", threads, c == null || c.threads() == null || c.threads() == 0
                ? WorkerPools.defaultWorkerThreads(io) : c.threads(), 1, 1_024);
        byte[] key = Secret.ADMIN_KEY.resolve(adminKey, adminKeyFile, cli);
        if (key == null && c != null) {
            key = c.adminKey();
        }
        if (versionString != null && (versionString.length() != 8
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(versionString))) {
            throw new UsageException("--version-string must be exactly 8 ASCII characters, got \"" + versionString
                    + "\" (" + versionString.length() + ")");
        }
        Path dir = dataDir != null ? dataDir : c == null ? null : c.rootPath();
        String dirName = dataDir != null ? "--data-dir" : "--config " + config + ": root_path";
        if (dir != null) {
            checkStore(dirName, dir, init);
        } else if (init) {
            throw new UsageException("--init needs --data-dir (the directory to create the page store in)");
        }
        List<InetSocketAddress> peerList = List.of();
        if (peers != null) {
            peerList = ServerSettings.peers(peers, id);
        } else if (c != null && Boolean.TRUE.equals(c.syncEnabled()) && c.raidaServers() == null) {
            throw new UsageException("--config " + config + ": synchronization_enabled = true needs raida_servers "
                    + "(the 25 RAIDA as \"host:port\")");
        } else if (c != null && Boolean.TRUE.equals(c.syncEnabled())) {
            List<String> entries = new ArrayList<>(c.raidaServers());
            entries.set(id, "-"); // this server's own entry
            peerList = ServerSettings.peers(entries, id, "--config " + config + ": raida_servers");
        }
        Integer freq = c == null ? null : c.integrityFreq();
        Duration sync = Duration.ofSeconds(Check.integer("--sync-interval", syncInterval, freq == null
                ? (int) ServerSettings.DEFAULT_SYNC_INTERVAL.toSeconds() : freq, 1, Integer.MAX_VALUE));
        if (dir == null && (peers != null || syncInterval != null)) {
            throw new UsageException("--peers and --sync-interval need --data-dir (the pages to keep in sync)");
        }
        if (dir == null && !peerList.isEmpty()) {
            throw new UsageException("--config " + config + ": synchronization_enabled needs root_path or --data-dir "
                    + "(the pages to keep in sync)");
        }
        Path socket = null;
        if (cc2Socket != null) {
            if (cc2Socket.isBlank()) {
                throw new UsageException("--cc2-socket needs the path of the CC2 back end's Unix socket");
            }
            socket = Path.of(cc2Socket.trim());
        }
        int udp = c == null || c.udpPayload() == null ? 0 : c.udpPayload();
        if (c != null) {
            // said once, after every check passed (a usage error stays one line)
            if (!c.ignored().isEmpty()) {
                cli.err().println("note: --config " + config + ": ignoring " + String.join(", ", c.ignored())
                        + " (read by the reference server, not used by raida-java)");
            }
            if (!c.unknown().isEmpty()) {
                cli.err().println("warning: --config " + config + ": unknown key(s) " + String.join(", ", c.unknown())
                        + " (ignored)");
            }
        }
        return new ServerSettings(t, h, p, id, coin, workers, io, key, versionString, dir, peerList, sync, socket, udp);
    }

    /**
     * A data directory must be an existing page store (a {@code Data} directory inside), so that a
     * typo never starts a server on a new, empty store; with {@code --init} a missing one is allowed
     * (created just before the server starts).
     */
    static void checkStore(String what, Path dir, boolean init) throws UsageException {
        if (Files.isDirectory(dir.resolve("Data"))) {
            return;
        }
        if (init) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UsageException(what + " " + dir + " is a file, not a directory");
            }
            return;
        }
        if (!Files.exists(dir)) {
            throw new UsageException(what + " " + dir + " does not exist (nothing was created; add --init to create "
                    + "an empty page store there)");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(what + " " + dir + " is a file, not a directory");
        }
        throw new UsageException(what + " " + dir + " is not a page store: it has no Data directory "
                + "(Data/<DD>/<PP>/<NNNN>.bin); add --init to make it one");
    }

    private static void createStore(Path dir) throws UsageException {
        try {
            Files.createDirectories(dir.resolve("Data"));
        } catch (IOException e) {
            throw new UsageException("--data-dir " + dir + ": cannot create the page store (" + e + ")");
        }
    }

    /** Reports a port another process holds (TCP or UDP) before the server starts. */
    static void checkPortFree(String host, int port) throws UsageException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException("--host " + host + ": cannot resolve it");
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new UsageException("--port " + port + " is already in use on " + host + " (TCP)");
        } catch (IOException e) {
            return; // e.g. an address not on this machine: the server reports it
        }
        try (DatagramSocket udp = new DatagramSocket(null)) {
            udp.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new UsageException("--port " + port + " is already in use on " + host + " (UDP)");
        } catch (IOException e) {
            // the server reports it
        }
    }
}
