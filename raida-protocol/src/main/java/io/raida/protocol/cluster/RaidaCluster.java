package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A client of all 25 RAIDA: sends each RAIDA its own request and completes one future when the
 * result is decided, within one overall deadline.
 *
 * <p>Per RAIDA it makes up to {@link ClusterOptions#maxAttempts()} attempts, each bounded by the
 * attempt timeout and the deadline, with jittered exponential back-off between them; under
 * {@link ProtocolPolicy#UDP_THEN_TCP} it goes TCP at once for frames above the UDP threshold and
 * after a UDP attempt timed out. A {@link DecisionRule} may complete the fan-out early; the RAIDA
 * still outstanding are then cancelled or left to finish ({@link StragglerPolicy}), never beyond the
 * deadline. Cancelling the returned future cancels every call in flight. For type 1 requests it
 * learns each RAIDA's reply keystream once (auth.md §4) and again after a reply of that RAIDA stops
 * decrypting.
 *
 * <pre>{@code
 * try (RaidaCluster cluster = RaidaCluster.builder(RaidaNetwork.loopback(50_000))
 *         .transport(RaidaTransportProvider.named("nio")).build()) {
 *     ClusterReply echo = cluster.echo().get();
 *     System.out.println(echo.successes() + " of 25 RAIDA answered");
 * }
 * }</pre>
 *
 * <p>Thread-safe; one instance serves any number of concurrent fan-outs. It owns one timer thread
 * (and the client, when built from a transport provider) until {@link #close()}.
 */
public final class RaidaCluster implements AutoCloseable {
    private final RaidaNetwork network;
    private final RaidaClient client;
    private final boolean ownsClient;
    private final ClusterOptions options;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<FanOut> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final KeystreamCalibrator calibrator;
    private final ClusterStats stats = new ClusterStats(this);
    private volatile boolean closed;

    private RaidaCluster(Builder b) {
        network = b.network;
        options = b.options;
        if (b.client != null) {
            client = b.client;
            ownsClient = false;
        } else {
            client = b.provider.newClient(b.clientOptions);
            ownsClient = true;
        }
        calibrator = new KeystreamCalibrator(network, client, inFlight);
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "raida-cluster-timer");
            t.setDaemon(true);
            return t;
        };
        timer = new ScheduledThreadPoolExecutor(1, tf);
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * A builder for a cluster of {@code network}.
     *
     * @param network the 25 RAIDA addresses
     * @return a new builder
     */
    public static Builder builder(RaidaNetwork network) {
        return new Builder(network);
    }

    /**
     * The network.
     *
     * @return the network given to the builder
     */
    public RaidaNetwork network() {
        return network;
    }

    /**
     * The options.
     *
     * @return the options, never {@code null}
     */
    public ClusterOptions options() {
        return options;
    }

    /**
     * Sends {@code requests.apply(i)} to RAIDA <i>i</i> for all 25 and completes when every RAIDA
     * ended (replied or failed after its attempts) or the deadline passed. The function is called
     * once per attempt and must give a fresh request each time (build it there).
     *
     * @param requests builds RAIDA <i>i</i>'s request
     * @return the reply, once every RAIDA ended or the deadline passed; failed at once if the cluster is closed
     */
    public CompletableFuture<ClusterReply> call(IntFunction<ClientRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        return call(ClusterCall.builder((id, mode) -> requests.apply(id)).build());
    }

    /**
     * As {@link #call(IntFunction)} with an early-completion rule and a per-outcome listener.
     *
     * @param requests builds RAIDA <i>i</i>'s request
     * @param decision when to complete before every RAIDA ended
     * @param listener called once per RAIDA outcome as it arrives; must not block
     * @return the reply
     */
    public CompletableFuture<ClusterReply> call(IntFunction<ClientRequest> requests, DecisionRule decision,
                                                java.util.function.Consumer<RaidaOutcome> listener) {
        Objects.requireNonNull(requests, "requests");
        return call(ClusterCall.builder((id, mode) -> requests.apply(id)).decision(decision).listener(listener)
                .build());
    }

    /**
     * Runs one fan-out.
     *
     * @param call the call
     * @return the reply; cancelling it cancels every request in flight
     */
    public CompletableFuture<ClusterReply> call(ClusterCall call) {
        Objects.requireNonNull(call, "call");
        FanOut f = new FanOut(this, call);
        if (closed) {
            f.result.completeExceptionally(new IllegalStateException("the RAIDA cluster is closed"));
            return f.result;
        }
        active.add(f);
        stats.fanOutStarted();
        f.result.whenComplete(this::count);
        f.start();
        return f.result;
    }

    private void count(ClusterReply reply, Throwable failure) {
        if (reply == null) {
            stats.fanOutFailed();
            return;
        }
        stats.fanOutCompleted(reply);
        reply.settled().thenAccept(stats::settled);
    }

    /**
     * Echo (0/0, type 0) to all 25: network health. Completes when all ended.
     *
     * @return the reply
     */
    public CompletableFuture<ClusterReply> echo() {
        return call(id -> RequestBuilder.command(id, 0, 0).build());
    }

    /**
     * Version (0/1) of all 25; each reply's payload is the RAIDA's version string (8 printable
     * ASCII bytes). With a type 1 key the keystream of each RAIDA is learned first.
     *
     * @param key key coin, or {@code null} for unencrypted requests
     * @return the reply
     */
    public CompletableFuture<ClusterReply> version(KeyCoin key) {
        ClusterCall.Builder b = ClusterCall.builder((id, mode) -> {
            RequestBuilder rb = RequestBuilder.command(id, 0, 1);
            return (key == null ? rb : key.apply(rb, id, mode)).build();
        }).replyCheck((id, r) -> !r.isSuccess() || isPrintableVersion(r.payload()));
        if (key != null && key.needsCalibration()) {
            b.calibrateWith(key);
        }
        return call(b.build());
    }

    static boolean isPrintableVersion(byte[] p) {
        boolean ok = p.length == 8;
        for (byte c : p) {
            ok &= c >= 0x20 && c < 0x7F;
        }
        return ok;
    }

    /**
     * The keystream mode learned for RAIDA {@code raidaId}, if any.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the mode, or empty
     */
    public Optional<KeystreamMode> learnedKeystream(int raidaId) {
        return Optional.ofNullable(calibrator.learned(io.raida.protocol.RaidaIds.requireRaidaId(raidaId)));
    }

    /**
     * Calibration requests sent so far (one per RAIDA and learning, auth.md §4).
     *
     * @return the count
     */
    public int calibrationRequests() {
        return calibrator.requests();
    }

    /**
     * Requests (including calibration requests) in flight now, over every fan-out.
     *
     * @return the count now
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The outcome counters of this cluster (fan-outs, per-RAIDA outcomes, replies by transport,
     * attempts, calibrations), live and read-only; publish them with
     * {@code io.raida.protocol.metrics.RaidaJmx} or {@code RaidaMeterBinder}.
     *
     * @return the counters, the same instance on every call
     */
    public ClusterStats stats() {
        return stats;
    }

    /** Sets a learned mode (tests: to make a RAIDA's replies stop decrypting). */
    void learnKeystream(int raidaId, KeystreamMode mode) {
        calibrator.learn(raidaId, mode);
    }

    /** Forgets the mode of a RAIDA whose reply did not decrypt, so the next attempt relearns it. */
    void forgetKeystream(int raidaId) {
        calibrator.learn(raidaId, null);
    }

    KeystreamMode knownKeystream(int raidaId) {
        KeystreamMode m = calibrator.learned(raidaId);
        return m == null ? KeystreamMode.CONTINUE : m;
    }

    RaidaClient client() {
        return client;
    }

    ScheduledThreadPoolExecutor timer() {
        return timer;
    }

    AtomicInteger inFlightCounter() {
        return inFlight;
    }

    void ended(FanOut f) {
        active.remove(f);
    }

    /**
     * The keystream mode of RAIDA {@code id}: known, or learned with one type 1 version request
     * shared by every fan-out that needs it meanwhile. The returned future may be cancelled by its
     * caller; the request itself is cancelled when no caller waits any more.
     */
    CompletableFuture<KeystreamMode> keystream(int id, KeyCoin key, Transport transport, Duration timeout) {
        return calibrator.keystream(id, key, transport, timeout);
    }

    /**
     * Cancels every fan-out in flight (their futures complete with what is known, the rest
     * {@link RaidaOutcome.Kind#CANCELLED}), stops the timer and closes the client if this cluster
     * created it. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FanOut f : active) {
            f.stopAll(RaidaOutcome.Kind.CANCELLED, "the RAIDA cluster was closed");
        }
        calibrator.cancelAll();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.close();
        }
    }

    /** Builder of {@link RaidaCluster}. */
    public static final class Builder {
        private final RaidaNetwork network;
        private RaidaClient client;
        private RaidaTransportProvider provider;
        private ClientOptions clientOptions = ClientOptions.defaults();
        private ClusterOptions options = ClusterOptions.defaults();

        private Builder(RaidaNetwork network) {
            this.network = Objects.requireNonNull(network, "network");
        }

        /**
         * Uses an existing client; the cluster does not close it.
         *
         * @param existing the client
         * @return this builder
         */
        public Builder client(RaidaClient existing) {
            this.client = Objects.requireNonNull(existing, "client");
            this.provider = null;
            return this;
        }

        /**
         * Creates (and on close closes) a client of this transport with default client options.
         *
         * @param transport the transport provider
         * @return this builder
         */
        public Builder transport(RaidaTransportProvider transport) {
            return transport(transport, ClientOptions.defaults());
        }

        /**
         * Creates (and on close closes) a client of this transport.
         *
         * @param transport the transport provider
         * @param clientOpts the client's options
         * @return this builder
         */
        public Builder transport(RaidaTransportProvider transport, ClientOptions clientOpts) {
            this.provider = Objects.requireNonNull(transport, "transport");
            this.clientOptions = Objects.requireNonNull(clientOpts, "clientOptions");
            this.client = null;
            return this;
        }

        /**
         * Fan-out options.
         *
         * @param opts the options
         * @return this builder
         */
        public Builder options(ClusterOptions opts) {
            this.options = Objects.requireNonNull(opts, "options");
            return this;
        }

        /**
         * The cluster.
         *
         * @return the cluster; close it to stop its timer and owned client
         * @throws IllegalStateException if neither a client nor a transport was given
         */
        public RaidaCluster build() {
            if (client == null && provider == null) {
                throw new IllegalStateException("give the cluster a RaidaClient or a RaidaTransportProvider");
            }
            return new RaidaCluster(this);
        }
    }
}
