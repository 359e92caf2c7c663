package io.raida.integrity;

import io.raida.protocol.internal.OptionChecks;
import io.raida.protocol.server.PeerPolicy;

import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.RaidaIds;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RAIDA's integrity service: Merkle trees over a {@link PageStore}, the integrity commands
 * 14/2, 14/4, 14/5, the UDP vote fast path, and (with peers) the periodic two-stage sync and heal.
 *
 * <pre>{@code
 * FilePageStore store = FilePageStore.open(Path.of(dataDir));                 // --data-dir
 * ServerCore core = ServerCore.builder().raidaId(id)
 *         .keyResolver(new PageStoreKeyResolver(store)).build();               // keys from the pages
 * IntegrityNode node = IntegrityNode.builder()
 *         .pageStore(store).raidaId(id)
 *         .peers(peers)                                // --peers: 25 host:port, index = RAIDA id
 *         .syncInterval(Duration.ofSeconds(3600))      // --sync-interval
 *         .allowPageDataFromPeers()                    // 14/4 only for the peers' addresses
 *         .client(client)                              // or .transport("nio")
 *         .build();
 * node.install(core);                                  // handlers + vote interceptor
 * RaidaServer server = provider.newServer(core, options).start();
 * node.start();                                        // first build now, then sync every interval
 * ...
 * node.close();                                        // stops the sync; then close the server
 * }</pre>
 *
 * <p>Differences from the reference, on purpose: trees are built at {@link #start()} (D-39) and no
 * vote is answered before that (the datagram is dropped, D-17); 14/4 is refused with status 38
 * (ERROR_ADMIN_AUTH) unless the caller's IP is on the allow-list, which is empty by default (D-16);
 * out-of-range fields get 202 instead of undefined behaviour (D-18); see {@link SyncEngine} for the
 * sync corrections (D-36, D-37, D-38).
 */
public final class IntegrityNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrityNode.class);

    private final PageStore store;
    private final AuditCommand audit;
    private final int raidaId;
    private final int coinId;
    private final List<InetSocketAddress> peers;
    private final Duration syncInterval;
    private final Duration voteTimeout;
    private final Duration requestTimeout;
    private final PeerPolicy pageAccess;
    private final IntegrityMetrics metrics = new IntegrityMetrics();
    private final MerkleForest forest;
    private final IntegrityCommands commands;
    private final VoteInterceptor vote;
    private final ReentrantLock cycleLock = new ReentrantLock();
    private final String transportName;
    private RaidaClient client;
    private boolean ownsClient;
    private SyncEngine sync;
    private ScheduledExecutorService scheduler;
    private final List<ServerCore> installed = new ArrayList<>();
    private final List<Thread> schedulerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private IntegrityNode(Builder b) {
        this.store = b.store;
        this.raidaId = b.raidaId;
        this.coinId = b.coinId;
        this.peers = b.peers;
        this.syncInterval = b.syncInterval;
        this.voteTimeout = b.voteTimeout;
        this.requestTimeout = b.requestTimeout;
        this.client = b.client;
        this.transportName = b.transport;
        Set<InetAddress> allowed = new LinkedHashSet<>(b.allowed);
        if (b.allowPeers) {
            for (InetSocketAddress a : peers) {
                if (a != null && a.getAddress() != null) {
                    allowed.add(a.getAddress());
                }
            }
        }
        this.pageAccess = b.anyone ? PeerPolicy.anyone() : PeerPolicy.of(allowed);
        this.forest = new MerkleForest(store, metrics, b.buildThreads);
        this.commands = new IntegrityCommands(forest, store, pageAccess);
        this.audit = new AuditCommand(store);
        this.vote = new VoteInterceptor(forest, metrics);
    }

    /**
     * A builder; {@link Builder#pageStore} and {@link Builder#raidaId} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a {@code --peers} value: 25 comma-separated {@code host:port} entries (IPv6 as
     * {@code [addr]:port}), index = RAIDA id. Host names are resolved now.
     *
     * @param spec the option value
     * @return 25 resolved addresses, index = RAIDA id
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<InetSocketAddress> parsePeers(String spec) {
        Objects.requireNonNull(spec, "spec");
        String[] parts = spec.split(",", -1);
        if (parts.length != SyncEngine.SERVERS) {
            throw new IllegalArgumentException("--peers needs " + SyncEngine.SERVERS
                    + " comma-separated host:port entries (index = RAIDA id), got " + parts.length);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String e = parts[i].trim();
            int colon = e.lastIndexOf(':');
            String host = colon > 0 ? e.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException ex) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("peer " + i + " \"" + e + "\" is not host:port with a port 1..65535");
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                throw new IllegalArgumentException("peer " + i + ": cannot resolve host \"" + host + "\"");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * Registers 14/2, 14/4, 14/5 and audit 0/3 ({@link CoinAudit}) in the core's registry and the vote
     * fast path as a datagram interceptor.
     *
     * @param core the server core whose registry gets the handlers
     * @return this node, to chain {@link #start()}
     */
    public synchronized IntegrityNode install(ServerCore core) {
        commands.register(core);
        audit.register(core);
        core.addDatagramInterceptor(vote);
        installed.add(core);
        return this;
    }

    /**
     * Builds all trees now (so votes and 14/2 work at once, D-39) and schedules the periodic work every
     * sync interval: a sync cycle when peers are configured, otherwise a rebuild of changed trees.
     *
     * @return this node
     */
    public synchronized IntegrityNode start() {
        if (closed) {
            throw new IllegalStateException("integrity node is closed");
        }
        if (scheduler != null) {
            return this;
        }
        forest.rebuild();
        if (!peers.isEmpty()) {
            sync = new SyncEngine(raidaId, peers, new IntegrityClient(client(), coinId, requestTimeout), forest, store,
                    metrics, voteTimeout, requestTimeout, () -> closed);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raida-integrity-" + raidaId);
            t.setDaemon(true);
            schedulerThreads.add(t);
            return t;
        });
        long ms = syncInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::periodic, ms, ms, TimeUnit.MILLISECONDS);
        LOG.info("integrity node {} started: {} peers, sync every {}", raidaId, peers.isEmpty() ? 0 : peers.size() - 1,
                syncInterval);
        return this;
    }

    private void periodic() {
        if (closed) {
            return;
        }
        try {
            if (sync != null) {
                runCycle(sync);
            } else {
                forest.rebuild();
            }
        } catch (RuntimeException e) {
            LOG.error("integrity cycle failed", e);
        }
    }

    /**
     * Runs one sync cycle now on the calling thread (cycles never overlap). If the node is closed or
     * the thread interrupted meanwhile, the cycle ends early with {@link SyncReport.Outcome#STOPPED}.
     *
     * @return what the cycle did
     * @throws IllegalStateException if no peers are configured, the node is not started, or it is closed
     */
    public SyncReport runSyncCycle() {
        SyncEngine s;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("integrity node is closed");
            }
            s = sync;
        }
        if (s == null) {
            throw new IllegalStateException("sync needs start() and 25 peers");
        }
        return runCycle(s);
    }

    private SyncReport runCycle(SyncEngine s) {
        cycleLock.lock();
        try {
            return s.runCycle();
        } finally {
            cycleLock.unlock();
        }
    }

    /**
     * Rebuilds the trees of changed denominations now; returns the denominations rebuilt.
     *
     * @return the denomination codes whose trees were rebuilt, possibly empty
     */
    public List<Integer> rebuildTrees() {
        return forest.rebuild();
    }

    /**
     * The Merkle trees of this node's pages.
     *
     * @return the forest, never {@code null}
     */
    public MerkleForest forest() {
        return forest;
    }

    /**
     * The counters of builds, votes, sync cycles and healing.
     *
     * @return the metrics, never {@code null}
     */
    public IntegrityMetrics metrics() {
        return metrics;
    }

    /**
     * The page store the trees are built from and healed pages are written to.
     *
     * @return the page store, never {@code null}
     */
    public PageStore pageStore() {
        return store;
    }

    /**
     * Who may call 14/4.
     *
     * @return the policy checked for every 14/4 request
     */
    public PeerPolicy pageAccess() {
        return pageAccess;
    }

    /**
     * A key resolver over this node's page store (pass it to {@code ServerCore.builder().keyResolver}).
     *
     * @return a resolver of type-1 coin keys and type-2 locker keys
     */
    public CoinKeyResolver keyResolver() {
        return new PageStoreKeyResolver(store);
    }

    private RaidaClient client() {
        if (client == null) {
            RaidaTransportProvider p = transportName != null ? RaidaTransportProvider.named(transportName)
                    : java.util.ServiceLoader.load(RaidaTransportProvider.class).findFirst().orElseThrow(
                            () -> new IllegalStateException("sync needs a RaidaClient: pass client(...) or put a "
                                    + "transport module (raida-transport-nio or -netty) on the class path"));
            // one connection at a time per peer: reference peers accept one per readiness event (D-28)
            client = p.newClient(ClientOptions.builder().timeout(requestTimeout).maxTcpConnectionsPerRaida(1).build());
            ownsClient = true;
        }
        return client;
    }

    /**
     * Stops the periodic work and any running cycle (it ends at its next request or write and is waited
     * for), unregisters from the cores, closes an owned client.
     */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        long waitMs = requestTimeout.toMillis() * 2 + voteTimeout.toMillis() + 1000;
        try {
            if (s != null) {
                // interrupts a scheduled cycle; it sees the interrupt (or `closed`) at its next step
                s.shutdownNow();
                if (!s.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
                    LOG.warn("integrity sync of RAIDA {} did not stop in time", raidaId);
                }
                for (Thread t : schedulerThreads) {
                    t.join(1000);
                }
            }
            // a cycle run by a caller's thread sees `closed` within one poll slice; wait for it before the
            // client goes away under it
            if (cycleLock.tryLock(waitMs, TimeUnit.MILLISECONDS)) {
                cycleLock.unlock();
            } else {
                LOG.warn("a sync cycle of RAIDA {} did not stop in time", raidaId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (ServerCore c : installed) {
                c.removeDatagramInterceptor(vote);
                commands.unregister(c);
                audit.unregister(c);
            }
            installed.clear();
            if (ownsClient && client != null) {
                client.close();
            }
        }
        store.removeListener(forest);
        audit.close();
    }

    /** Configuration of an {@link IntegrityNode}. */
    public static final class Builder {
        private PageStore store;
        private int raidaId = -1;
        private int coinId = 6;
        private List<InetSocketAddress> peers = List.of();
        private Duration syncInterval = Duration.ofSeconds(3600);
        private Duration voteTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private RaidaClient client;
        private String transport;
        private final Set<InetAddress> allowed = new LinkedHashSet<>();
        private boolean allowPeers;
        private boolean anyone;
        private int buildThreads = Math.min(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * The page store (required).
         *
         * @param store the page store, not {@code null}
         * @return this builder
         */
        public Builder pageStore(PageStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * This server's RAIDA id, 0..24 (required).
         *
         * @param id the RAIDA id, 0..24
         * @return this builder
         */
        public Builder raidaId(int id) {
            this.raidaId = RaidaIds.requireRaidaId(id);
            return this;
        }

        /**
         * Coin id of peer requests (default 6).
         *
         * @param coinId the coin id, 0..65535
         * @return this builder
         */
        public Builder coinId(int coinId) {
            this.coinId = RaidaIds.requireCoinId(coinId);
            return this;
        }

        /**
         * The 25 RAIDA addresses, index = RAIDA id (own entry ignored, may be null); empty (the default)
         * disables the sync.
         *
         * @param peers 25 addresses, or an empty list
         * @return this builder
         */
        public Builder peers(List<InetSocketAddress> peers) {
            Objects.requireNonNull(peers, "peers");
            if (!peers.isEmpty() && peers.size() != SyncEngine.SERVERS) {
                throw new IllegalArgumentException("give all " + SyncEngine.SERVERS
                        + " RAIDA addresses (index = RAIDA id), got " + peers.size());
            }
            this.peers = Collections.unmodifiableList(new ArrayList<>(peers));
            return this;
        }

        /**
         * Time between sync cycles (default 3 600 s, the reference's integrity_freq).
         *
         * @param d the interval, positive
         * @return this builder
         */
        public Builder syncInterval(Duration d) {
            this.syncInterval = OptionChecks.positive("syncInterval", d);
            return this;
        }

        /**
         * Overall deadline of the parallel vote round (default 2 s).
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder voteTimeout(Duration d) {
            this.voteTimeout = OptionChecks.positive("voteTimeout", d);
            return this;
        }

        /**
         * Deadline of each TCP integrity command (default 5 s).
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = OptionChecks.positive("requestTimeout", d);
            return this;
        }

        /**
         * The client for votes and peer commands (not closed by the node).
         *
         * @param client the client, not {@code null}
         * @return this builder
         */
        public Builder client(RaidaClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Without {@link #client}, create (and own) a client of this transport ("nio", "netty").
         *
         * @param name the transport provider's name
         * @return this builder
         */
        public Builder transport(String name) {
            this.transport = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Adds addresses allowed to call 14/4 (nobody by default).
         *
         * @param addresses the IP addresses to allow
         * @return this builder
         */
        public Builder allowPageData(InetAddress... addresses) {
            allowed.addAll(List.of(addresses));
            return this;
        }

        /**
         * Allows 14/4 from the IP addresses of the configured peers.
         *
         * @return this builder
         */
        public Builder allowPageDataFromPeers() {
            this.allowPeers = true;
            return this;
        }

        /**
         * Serves 14/4 to anyone, as the reference does (D-16); for closed test networks only.
         *
         * @return this builder
         */
        public Builder allowPageDataFromAnyone() {
            this.anyone = true;
            return this;
        }

        /**
         * Threads used by a tree rebuild (default min(2, CPUs)).
         *
         * @param n the number of threads, at least 1
         * @return this builder
         */
        public Builder buildThreads(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("buildThreads must be positive, got " + n);
            }
            this.buildThreads = n;
            return this;
        }

        /**
         * The node, not yet installed or started.
         *
         * @return the node; call {@link IntegrityNode#install(ServerCore)} then {@link IntegrityNode#start()}
         * @throws IllegalStateException if the page store or the RAIDA id is missing
         */
        public IntegrityNode build() {
            if (store == null) {
                throw new IllegalStateException("pageStore(...) is required");
            }
            if (raidaId < 0) {
                throw new IllegalStateException("raidaId(...) is required");
            }
            return new IntegrityNode(this);
        }
    }
}
