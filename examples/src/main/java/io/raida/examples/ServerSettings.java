package io.raida.examples;

import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What the {@code server} subcommand runs: every option has a default, so no option at all gives
 * the embedded demo server (RAIDA 0, coin id 6, the {@link DemoCoins}, NIO on 127.0.0.1:50000).
 * With {@code --data-dir} the keys are the ANs of a page store and the integrity service runs.
 *
 * @param transport     "nio" or "netty"
 * @param host          bind address
 * @param port          TCP and UDP port; 0 = any free port
 * @param raidaId       0..24
 * @param coinId        coin id requests must carry
 * @param workerThreads command-handler threads
 * @param ioThreads     event-loop threads
 * @param adminKey      16-byte show_stats key, or null (show_stats then always answers 38)
 * @param version       the 8 characters the version command returns, or null for the library's
 * @param dataDir       the coin store (reference page layout) whose ANs are the keys and whose pages
 *                      the integrity service serves and heals; null for the in-memory demo coins
 *                      and no integrity service
 * @param peers         the 25 RAIDA addresses, index = RAIDA id (own entry may be null); empty for no sync
 * @param syncInterval  time between integrity sync cycles
 * @param cc2Socket     the CC2 back end's Unix socket: shard-2 detect requests (group 1, code 10,
 *                      shard 2) are forwarded there; null for no CC2 back end
 */
record ServerSettings(String transport, String host, int port, int raidaId, int coinId, int workerThreads,
                      int ioThreads, byte[] adminKey, String version, Path dataDir, List<InetSocketAddress> peers,
                      Duration syncInterval, Path cc2Socket) {

    static final Set<String> OPTIONS = Set.of("transport", "host", "port", "raida-id", "coin-id", "threads",
            "io-threads", "admin-key", "version-string", "data-dir", "peers", "sync-interval", "cc2-socket");
    static final int RAIDA_COUNT = 25;
    static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(3_600);

    /** The embedded demo server on {@code transport}, {@code host} and {@code port}. */
    static ServerSettings demo(String transport, String host, int port) {
        return new ServerSettings(transport, host, port, DemoCoins.RAIDA_ID, DemoCoins.COIN_ID,
                ServerOptions.defaults().workerThreads(), ServerOptions.defaults().ioThreads(), null, null, null,
                List.of(), DEFAULT_SYNC_INTERVAL, null);
    }

    /** The RAIDA port convention of transport.md §1: 50000 + RAIDA id. */
    static int conventionalPort(int raidaId) {
        return 50_000 + raidaId;
    }

    static ServerSettings parse(List<String> words) throws UsageException {
        Args a = Args.parse(words, OPTIONS);
        String transport = a.choice("transport", "nio", "nio", "netty");
        String host = a.string("host", "127.0.0.1");
        int raidaId = a.integer("raida-id", DemoCoins.RAIDA_ID, 0, 24);
        int port = a.integer("port", conventionalPort(raidaId), 0, 65_535);
        int coinId = a.integer("coin-id", DemoCoins.COIN_ID, 0, 65_535);
        ServerOptions defaults = ServerOptions.defaults();
        int threads = a.integer("threads", defaults.workerThreads(), 1, 1_024);
        int io = a.integer("io-threads", defaults.ioThreads(), 1, 256);
        byte[] adminKey = a.hex("admin-key", 16);
        String version = a.string("version-string", null);
        if (version != null && (version.length() != 8 || !StandardCharsets.US_ASCII.newEncoder().canEncode(version))) {
            throw new UsageException("--version-string must be exactly 8 ASCII characters, got \"" + version + "\"");
        }
        Path dataDir = a.has("data-dir") ? Path.of(a.string("data-dir", null)) : null;
        List<InetSocketAddress> peers = a.has("peers") ? peers(a.string("peers", null), raidaId) : List.of();
        Duration sync = Duration.ofSeconds(a.integer("sync-interval", (int) DEFAULT_SYNC_INTERVAL.toSeconds(), 1,
                Integer.MAX_VALUE));
        if (dataDir == null && (a.has("peers") || a.has("sync-interval"))) {
            throw new UsageException("--peers and --sync-interval need --data-dir (the pages to keep in sync)");
        }
        Path cc2Socket = null;
        if (a.has("cc2-socket")) {
            String v = a.string("cc2-socket", null).trim();
            if (v.isEmpty()) {
                throw new UsageException("--cc2-socket needs the path of the CC2 back end's Unix socket");
            }
            cc2Socket = Path.of(v);
        }
        return new ServerSettings(transport, host, port, raidaId, coinId, threads, io, adminKey, version, dataDir,
                peers, sync, cc2Socket);
    }

    /** 25 comma-separated host:port, index = RAIDA id; the own entry may be "-". */
    static List<InetSocketAddress> peers(String list, int raidaId) throws UsageException {
        String[] parts = list.split(",", -1);
        if (parts.length != RAIDA_COUNT) {
            throw new UsageException("--peers lists all " + RAIDA_COUNT + " RAIDA as host:port (index = RAIDA id), got "
                    + parts.length + " entries");
        }
        List<InetSocketAddress> peers = new ArrayList<>(RAIDA_COUNT);
        for (int i = 0; i < RAIDA_COUNT; i++) {
            String p = parts[i].trim();
            if (i == raidaId && (p.isEmpty() || p.equals("-"))) {
                peers.add(null);
                continue;
            }
            int colon = p.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65_535) {
                throw new UsageException("--peers entry " + i + " must be host:port, got \"" + p + "\"");
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                // an unresolved peer could never vote, be asked or be allowed page data: say so now
                throw new UsageException("--peers entry " + i + ": cannot resolve host \"" + host + "\"");
            }
            peers.add(a);
        }
        return Collections.unmodifiableList(peers);
    }

    /** The core with the settings' identity and the given key store. */
    ServerCore core(CoinKeyResolver keys) {
        ServerCore.Builder b = ServerCore.builder().raidaId(raidaId).coinId(coinId).keyResolver(keys)
                .adminKey(adminKey);
        if (version != null) {
            b.versionString(version);
        }
        return b.build();
    }

    ServerOptions options() {
        return ServerOptions.builder().host(host).port(port).workerThreads(workerThreads).ioThreads(ioThreads).build();
    }

    @Override
    public String toString() {
        // no key material
        return "ServerSettings[" + transport + " " + host + ":" + port + ", raida " + raidaId + ", coin id " + coinId
                + ", workers " + workerThreads + ", io " + ioThreads + ", admin key "
                + (adminKey == null ? "none" : "set") + (dataDir == null ? ", demo coins" : ", data " + dataDir
                + ", " + (peers.isEmpty() ? "no" : "25") + " peers, sync every " + syncInterval.toSeconds() + " s")
                + (cc2Socket == null ? "" : ", shard 2 via CC2 at " + cc2Socket) + "]";
    }
}
