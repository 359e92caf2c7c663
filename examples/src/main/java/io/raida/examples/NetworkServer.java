package io.raida.examples;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.PageStore;
import io.raida.protocol.Denominations;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.RaidaNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The 25 example RAIDA of {@code network-server} in one process: each one is a {@code server
 * --data-dir DIR/raida-NN --peers ...} (see {@link ServerCommand#start}) on 127.0.0.1:basePort+id.
 */
final class NetworkServer implements AutoCloseable {
    /** Denomination of the demo coins (1 = one unit). */
    static final int DEMO_DENOMINATION = 1;
    /** Serial numbers of the demo coins. */
    static final List<Integer> DEMO_SERIALS = List.of(1001, 1002, 1003, 1004, 1005);
    /** The MFS byte of an issued record (any non-zero month marks the record issued). */
    private static final byte ISSUED = 40;

    private final List<ServerCommand.Running> servers;
    private final int basePort;

    private NetworkServer(List<ServerCommand.Running> servers, int basePort) {
        this.servers = servers;
        this.basePort = basePort;
    }

    /** The page store directory of RAIDA {@code raidaId} under {@code dataDir}. */
    static Path storeDir(Path dataDir, int raidaId) {
        return dataDir.resolve(String.format("raida-%02d", raidaId));
    }

    /** Where the demo coin files are written. */
    static Path coinDir(Path dataDir) {
        return dataDir.resolve("coins");
    }

    /** The 25 addresses of a network on loopback at {@code basePort}. */
    static List<InetSocketAddress> addresses(int basePort) {
        return RaidaNetwork.loopback(basePort).endpoints();
    }

    /**
     * Starts the 25 servers; when {@code dataDir} holds nothing yet, first creates the demo coins.
     * On any failure the servers started so far are closed and the exception is thrown.
     *
     * @param adminKey the show_stats key of all 25, or null (show_stats then answers 38)
     */
    static NetworkServer start(int basePort, Path dataDir, String transport, Duration syncInterval, byte[] adminKey)
            throws IOException {
        Files.createDirectories(dataDir);
        boolean empty;
        try (Stream<Path> s = Files.list(dataDir)) {
            empty = s.findAny().isEmpty();
        }
        if (empty) {
            createDemoCoins(dataDir);
        }
        List<InetSocketAddress> all = addresses(basePort);
        List<ServerCommand.Running> started = new ArrayList<>();
        try {
            for (int id = 0; id < RaidaNetwork.SIZE; id++) {
                List<InetSocketAddress> peers = new ArrayList<>(all);
                peers.set(id, null);
                ServerSettings s = new ServerSettings(transport, "127.0.0.1", basePort + id, id, CoinFile.COIN_ID,
                        2, 1, adminKey, null, storeDir(dataDir, id), Collections.unmodifiableList(peers), syncInterval,
                        null, 0);
                started.add(ServerCommand.start(s));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
        return new NetworkServer(List.copyOf(started), basePort);
    }

    /**
     * Writes the demo coins: per coin a random AN for each RAIDA into that RAIDA's page store, and the
     * coin file (format 9) holding the 25 ANs to {@code DIR/coins/<den>.<sn>.bin}.
     */
    static List<Path> createDemoCoins(Path dataDir) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[][][] ans = new byte[DEMO_SERIALS.size()][RaidaNetwork.SIZE][16];
        for (int id = 0; id < RaidaNetwork.SIZE; id++) {
            try (FilePageStore store = FilePageStore.open(storeDir(dataDir, id))) {
                byte[] page = new byte[PageStore.PAGE_SIZE];
                for (int c = 0; c < DEMO_SERIALS.size(); c++) {
                    int sn = DEMO_SERIALS.get(c);
                    random.nextBytes(ans[c][id]);
                    int at = (sn % Denominations.RECORDS_PER_PAGE) * PageStore.RECORD_SIZE;
                    System.arraycopy(ans[c][id], 0, page, at, 16);
                    page[at + 16] = ISSUED;
                }
                store.writePage(DEMO_DENOMINATION, DEMO_SERIALS.get(0) / Denominations.RECORDS_PER_PAGE,
                        page);
            }
        }
        Path coins = Files.createDirectories(coinDir(dataDir));
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < DEMO_SERIALS.size(); c++) {
            Path f = coins.resolve(DEMO_DENOMINATION + "." + DEMO_SERIALS.get(c) + ".bin");
            CoinFile.of(Coin.of(DEMO_DENOMINATION, DEMO_SERIALS.get(c), List.of(ans[c]))).write(f);
            files.add(f);
        }
        return files;
    }

    /** The first port; RAIDA {@code id} listens on basePort + id. */
    int basePort() {
        return basePort;
    }

    /** The running servers, index = RAIDA id. */
    List<ServerCommand.Running> servers() {
        return servers;
    }

    /** Closes the servers side by side: each drains its in-flight requests, 25 drains in a row would add up. */
    private static void closeAll(List<ServerCommand.Running> started) {
        List<Thread> closing = new ArrayList<>();
        for (ServerCommand.Running r : started) {
            Thread t = new Thread(r::close, "raida-close-" + r.port());
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closeAll(servers);
    }
}
