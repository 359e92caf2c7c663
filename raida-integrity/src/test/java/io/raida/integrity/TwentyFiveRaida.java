package io.raida.integrity;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Test fixture: 25 RAIDA on loopback (127.0.0.1, ports chosen by the system), each a {@link ServerCore}
 * keyed from its own page store, plus one client shared by the servers' peer legs and the tests.
 * Handlers (coin, healing, integrity commands) are the test's to install; what it {@link #track}s is
 * closed before the servers, the servers before the client.
 */
final class TwentyFiveRaida implements AutoCloseable {
    static final int N = 25;

    final RaidaTransportProvider provider;
    final RaidaClient client;
    final ServerOptions serverOptions;
    final List<PageStore> stores = new ArrayList<>();
    final List<ServerCore> cores = new ArrayList<>();
    /** RAIDA id → its running server; {@link #restart} replaces an entry. */
    final List<RaidaServer> servers = new ArrayList<>();
    /** RAIDA id → its address; stays the same across {@link #restart}. */
    final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private TwentyFiveRaida(String transport, int workerThreads) {
        provider = RaidaTransportProvider.named(transport);
        client = provider.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(20)).ioThreads(1).build());
        serverOptions = ServerOptions.builder().port(0).ioThreads(1).workerPools(w -> w.workerThreads(workerThreads)
                .workerQueueCapacity(64)).timeouts(t -> t.shutdownTimeout(Duration.ofMillis(200))).build();
    }

    /**
     * Starts the 25 servers of {@code transport} ("nio", "netty"), RAIDA i over {@code storeOf.apply(i)}.
     * On failure everything started so far is closed.
     */
    static TwentyFiveRaida start(String transport, int workerThreads, IntFunction<PageStore> storeOf)
            throws IOException {
        TwentyFiveRaida net = new TwentyFiveRaida(transport, workerThreads);
        try {
            for (int id = 0; id < N; id++) {
                PageStore s = storeOf.apply(id);
                net.stores.add(s);
                ServerCore core = ServerCore.builder().raidaId(id).keyResolver(new PageStoreKeyResolver(s)).build();
                net.cores.add(core);
                RaidaServer server = net.provider.newServer(core, net.serverOptions).start();
                net.servers.add(server);
                net.addresses.add(new InetSocketAddress("127.0.0.1", server.port()));
            }
        } catch (IOException | RuntimeException e) {
            try {
                net.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return net;
    }

    /** An in-memory store holding page 0 of {@code den} with records {@code issued} issued, ANs from {@code seed}. */
    static PageStore storeWith(int den, long seed, int... issued) {
        InMemoryPageStore s = new InMemoryPageStore();
        s.writePage(den, 0, TestPages.issued(seed, issued));
        return s;
    }

    /** Closes {@code r} when the fixture closes, before the servers (last tracked, first closed). */
    <T extends AutoCloseable> T track(T r) {
        resources.add(r);
        return r;
    }

    /** RAIDA {@code id} goes down: its server closes (its core, store and handlers stay). */
    void stop(int id) {
        servers.get(id).close();
    }

    /** RAIDA {@code id} comes back: a new server over the same core, on the same port. */
    void restart(int id) throws IOException {
        servers.set(id, provider.newServer(cores.get(id),
                serverOptions.toBuilder().port(addresses.get(id).getPort()).build()).start());
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        servers.forEach(RaidaServer::close);
        client.close();
        if (first != null) {
            throw first;
        }
    }

    /** One sync cycle on every node at once, as when their schedules coincide; the reports in node order. */
    static List<SyncReport> syncAll(List<IntegrityNode> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<SyncReport>> fs = new ArrayList<>();
            for (IntegrityNode n : nodes) {
                fs.add(pool.submit(n::runSyncCycle));
            }
            List<SyncReport> out = new ArrayList<>();
            for (Future<SyncReport> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The live threads of this JVM (for "no thread left behind" checks). */
    static Set<Thread> liveThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The open file descriptors of this JVM (sockets included). */
    static long openFiles() {
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }
}
