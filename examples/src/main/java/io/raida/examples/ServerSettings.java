package io.raida.examples;

import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
 * @param udpPayload    the largest UDP request read (config.toml {@code udp_effective_payload}); 0 = the
 *                      transport's default
 */
record ServerSettings(String transport, String host, int port, int raidaId, int coinId, int workerThreads,
                      int ioThreads, byte[] adminKey, String version, Path dataDir, List<InetSocketAddress> peers,
                      Duration syncInterval, Path cc2Socket, int udpPayload) {

    static final int RAIDA_COUNT = 25;
    static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(3_600);

    /** The embedded demo server on {@code transport}, {@code host} and {@code port}. */
    static ServerSettings demo(String transport, String host, int port) {
        return new ServerSettings(transport, host, port, DemoCoins.RAIDA_ID, DemoCoins.COIN_ID,
                ServerOptions.defaults().workerPools().workerThreads(), ServerOptions.defaultIoThreads(), null, null, null,
                List.of(), DEFAULT_SYNC_INTERVAL, null, 0);
    }

    /** The RAIDA port convention of transport.md §1: 50000 + RAIDA id. */
    static int conventionalPort(int raidaId) {
        return 50_000 + raidaId;
    }

    /**
     * The settings of {@code server} with these option words (no environment, nothing started). The
     * data directory is checked like on the command line: it must exist and hold a page store.
     */
    static ServerSettings parse(List<String> words) throws UsageException {
        return ServerCli.settingsOf(words);
    }

    /** 25 comma-separated host:port, index = RAIDA id; the own entry may be "-". */
    static List<InetSocketAddress> peers(String list, int raidaId) throws UsageException {
        String[] parts = list.split(",", -1);
        if (parts.length != RAIDA_COUNT) {
            throw new UsageException("--peers lists all " + RAIDA_COUNT + " RAIDA as host:port (index = RAIDA id), got "
                    + parts.length + " entries");
        }
        return peers(List.of(parts), raidaId, "--peers");
    }

    /** The 25 {@code host:port} of {@code entries} (index = RAIDA id); the own entry may be "-" or empty. */
    static List<InetSocketAddress> peers(List<String> parts, int raidaId, String what) throws UsageException {
        List<InetSocketAddress> peers = new ArrayList<>(RAIDA_COUNT);
        for (int i = 0; i < RAIDA_COUNT; i++) {
            String p = parts.get(i).trim();
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
                throw new UsageException(what + " entry " + i + " must be host:port, got \"" + p + "\"");
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                // an unresolved peer could never vote, be asked or be allowed page data: say so now
                throw new UsageException(what + " entry " + i + ": cannot resolve host \"" + host + "\"");
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
        ServerOptions.Builder b = ServerOptions.builder().host(host).port(port).ioThreads(ioThreads)
                .workerPools(w -> w.workerThreads(workerThreads));
        if (udpPayload > 0) {
            b.connectionLimits(c -> c.udpPayloadThreshold(udpPayload));
        }
        return b.build();
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
