package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinCommands;
import io.raida.integrity.FilePageStore;
import io.raida.integrity.PageStore;
import io.raida.legacy.Cc2Client;
import io.raida.legacy.Cc2DetectHandler;
import io.raida.legacy.Cc2Simulator;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.server.BulkheadStats;
import io.raida.protocol.server.CircuitBreaker;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19 through a real server on both transports: a CC2 back end that accepts and never answers
 * (the simulator's STALL) holds only its own bulkhead; shard-2 detects end within one timeout, the
 * ones that cannot start in time are refused at once with 254, local worker commands (a detect on
 * the page store, show_stats) keep answering, and the CC2 breaker opens, fails fast and closes.
 */
@Timeout(180)
class SlowBackEndTest {
    private static final int RAIDA = 3;
    private static final byte[] ADMIN = new byte[16];
    private static final long CC2_SN = 2_000_001;
    private static final byte[] CC2_AN = new byte[16];

    static {
        Arrays.fill(ADMIN, (byte) 0x11);
        Arrays.fill(CC2_AN, (byte) 0x5C);
    }

    /** One server with CoinCommands over a page store, 1/10 forwarding shard 2 to the simulator. */
    private static final class Rig implements AutoCloseable {
        final Cc2Simulator sim;
        final FilePageStore store;
        final ServerCore core;
        final CoinCommands coins;
        final Cc2Client cc2;
        final RaidaServer server;
        final RaidaClient client;
        final InetSocketAddress address;

        Rig(String transport, Path dir, Duration cc2Timeout, int breakerFailures, Duration breakerOpen)
                throws Exception {
            sim = Cc2Simulator.start(dir.resolve("cc2.sock")).putCoin(CC2_SN, CC2_AN);
            byte[] page = new byte[PageStore.PAGE_SIZE];
            Arrays.fill(page, 6 * PageStore.RECORD_SIZE, 6 * PageStore.RECORD_SIZE + 16, (byte) 0x2A);
            page[6 * PageStore.RECORD_SIZE + 16] = 1;
            store = FilePageStore.open(dir.resolve("pages"));
            store.writePage(2, 1, page); // coin 2:1030
            core = ServerCore.builder().raidaId(RAIDA).coinId(6).keyResolver(new InMemoryCoinKeyResolver())
                    .adminKey(ADMIN).build();
            coins = CoinCommands.register(core, store);
            cc2 = Cc2Client.builder().raidaId(RAIDA).socketPath(sim.socketPath()).readTimeout(cc2Timeout)
                    .circuitBreaker(breakerFailures, breakerOpen).build();
            // as ServerCommand does: the local detect is the fallback for every shard but 2
            new Cc2DetectHandler(cc2, core.registry().lookup(1, 10).handler()).register(core);
            server = RaidaTransportProvider.named(transport).newServer(core,
                    ServerOptions.builder().host("127.0.0.1").port(0).workerPools(w -> w.workerThreads(8)).build());
            server.start();
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            client = RaidaTransportProvider.named(transport).newClient(ClientOptions.builder()
                    .timeout(Duration.ofSeconds(20)).build());
        }

        RaidaResponse send(ClientRequest r, Transport t) throws Exception {
            return client.send(address, r, t).get(30, TimeUnit.SECONDS);
        }

        BulkheadStats cc2Bulkhead() {
            return core.stats().bulkhead(Cc2DetectHandler.BULKHEAD);
        }

        CircuitBreaker.State breaker() {
            return core.stats().breakers().get(0).state();
        }

        @Override
        public void close() throws Exception {
            try {
                client.close();
            } finally {
                try {
                    server.close();
                } finally {
                    coins.close();
                    store.close();
                    sim.close();
                }
            }
        }
    }

    private static ClientRequest shard2Detect() {
        byte[] p = new byte[21];
        p[0] = 1;
        p[1] = (byte) (CC2_SN >>> 24);
        p[2] = (byte) (CC2_SN >>> 16);
        p[3] = (byte) (CC2_SN >>> 8);
        p[4] = (byte) CC2_SN;
        System.arraycopy(CC2_AN, 0, p, 5, 16);
        return RequestBuilder.command(RAIDA, 1, 10).shard(Cc2DetectHandler.SHARD).payload(p).build();
    }

    private static ClientRequest localDetect() {
        byte[] p = new byte[21];
        p[0] = 2;
        p[3] = 0x04;
        p[4] = 0x06;
        Arrays.fill(p, 5, 21, (byte) 0x2A);
        return RequestBuilder.command(RAIDA, 1, 10).payload(p).build(); // shard 0: the page store
    }

    private static ClientRequest showStats() {
        return RequestBuilder.command(RAIDA, 0, 2).payload(ADMIN).build();
    }

    /** (a) 16 concurrent shard-2 detects against a stalled CC2 end within one timeout, not a multiple. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void sixteenConcurrentDetectsEndWithinOneTimeout(String transport, @TempDir Path dir) throws Exception {
        Duration cc2Timeout = Duration.ofSeconds(2);
        try (Rig rig = new Rig(transport, dir, cc2Timeout, 1_000, Duration.ofSeconds(5))) {
            rig.sim.behavior(Cc2Simulator.Behavior.STALL);
            for (Transport t : Transport.values()) {
                long t0 = System.nanoTime();
                List<CompletableFuture<RaidaResponse>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    calls.add(rig.client.send(rig.address, shard2Detect(), t));
                }
                long slowest = 0;
                for (CompletableFuture<RaidaResponse> f : calls) {
                    RaidaResponse r = f.get(30, TimeUnit.SECONDS);
                    slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
                    assertThat(r.status()).as(t + " status").isIn(48, 254);
                }
                System.out.printf("issue 19 (a) %s %s: 16 stalled shard-2 detects all answered within %d ms%n",
                        transport, t, slowest);
                // one CC2 timeout (2 s) plus a margin for a loaded machine; queued calls used to add 2 s each
                assertThat(slowest).as(t + ": slowest of 16").isLessThan(cc2Timeout.toMillis() + 2_500);
                assertThat(rig.send(localDetect(), t).status()).isEqualTo(241);
            }
            assertThat(rig.cc2Bulkhead().refusedAtAdmission()).as("beyond 8 running, refused at once").isGreaterThan(0);
        }
    }

    /**
     * (b) a burst of 5 000 UDP shard-2 detects: the ones that cannot start before their deadline are
     * answered 254 at once, and local worker commands keep answering meanwhile.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void aBurstOfShard2DetectsLeavesLocalCommandsTheirWorkers(String transport, @TempDir Path dir) throws Exception {
        try (Rig rig = new Rig(transport, dir, Duration.ofSeconds(2), 1_000, Duration.ofSeconds(5));
             DatagramSocket burst = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rig.sim.behavior(Cc2Simulator.Behavior.STALL);
            burst.setReceiveBufferSize(8 << 20);
            int n = 5_000;
            AtomicIntegerArray byStatus = new AtomicIntegerArray(256);
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong last254 = new AtomicLong();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[2_048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    burst.setSoTimeout(200);
                    while (!done.get()) {
                        try {
                            burst.receive(p);
                            byStatus.incrementAndGet(buf[2] & 0xFF);
                            if ((buf[2] & 0xFF) == 254) {
                                last254.set(System.nanoTime());
                            }
                        } catch (SocketTimeoutException e) {
                            // poll done
                        }
                    }
                } catch (java.io.IOException e) {
                    // socket closed at the end
                }
            }, "burst-reader");
            reader.start();
            List<Long> localMicros = new ArrayList<>();
            AtomicBoolean bursting = new AtomicBoolean(true);
            CompletableFuture<Void> local = CompletableFuture.runAsync(() -> {
                try {
                    int i = 0;
                    while (bursting.get() || i < 40) {
                        ClientRequest r = i % 2 == 0 ? localDetect() : showStats();
                        long t0 = System.nanoTime();
                        // over TCP: the burst may overflow the server's UDP socket buffer, and the kernel
                        // then drops any datagram, local or not, before the server sees it
                        int st = rig.send(r, Transport.TCP).status();
                        localMicros.add((System.nanoTime() - t0) / 1_000);
                        assertThat(st).isEqualTo(i % 2 == 0 ? 241 : 250);
                        i++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] f = shard2Detect().frame();
                burst.send(new DatagramPacket(f, f.length, rig.address));
            }
            long sentMs = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(3_500); // the running ones end by the CC2 timeout (2 s) or the UDP deadline (3 s)
            bursting.set(false);
            local.get(60, TimeUnit.SECONDS);
            Thread.sleep(300);
            done.set(true);
            reader.join(5_000);
            List<Long> sorted = new ArrayList<>(localMicros);
            sorted.sort(null);
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1_000;
            long max = sorted.get(sorted.size() - 1) / 1_000;
            BulkheadStats cc2 = rig.cc2Bulkhead();
            // what reached the server: a burst this fast overflows a UDP socket buffer, and the kernel drops the rest
            long served = cc2.refusedAtAdmission() + cc2.completed() + cc2.running() + cc2.queued();
            long last254Ms = (last254.get() - t0) / 1_000_000;
            int replies = byStatus.get(254) + byStatus.get(48);
            System.out.printf("issue 19 (b) %s: %d UDP shard-2 detects sent in %d ms, %d reached the server; replies:"
                    + " %d x 254 (last at %d ms), %d x 48; %d local calls (detect on pages, show_stats) during and after"
                    + " the burst: p99 %d ms, max %d ms; %s; %s%n", transport, n, sentMs, served, byStatus.get(254),
                    last254Ms, byStatus.get(48), sorted.size(), p99, max, cc2,
                    rig.core.stats().bulkhead(ServerStats.LOCAL_BULKHEAD));
            assertThat(served).as("shard-2 detects that reached the server").isGreaterThan(1_000);
            assertThat(replies).as("shard-2 replies").isGreaterThanOrEqualTo((int) (served * 9 / 10));
            assertThat(cc2.refusedAtAdmission()).as("refused at admission, not queued to expire")
                    .isGreaterThanOrEqualTo(served - 16);
            // answered at once: the last 254 came long before a CC2 timeout (2 s) or deadline (3 s) could end a call
            assertThat(last254Ms).as("last 254 (ms after the burst started)").isLessThan(sentMs + 1_800);
            assertThat(cc2.expiredBeforeStart()).isLessThan(50);
            assertThat(cc2.running() + cc2.queued()).isLessThanOrEqualTo(8);
            assertThat(sorted.size()).isGreaterThanOrEqualTo(40);
            // the target is p99 < 50 ms on an idle 2-core machine; this one is shared by other builds
            assertThat(p99).as("local worker commands' p99 during the burst (ms)").isLessThan(1_000);
            assertThat(rig.core.stats().bulkhead(ServerStats.LOCAL_BULKHEAD).refusedAtAdmission()).isZero();
        }
    }

    /** (c) the CC2 breaker through the server: opens after the failures, fails fast, closes after recovery. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void theCc2BreakerOpensFailsFastAndCloses(String transport, @TempDir Path dir) throws Exception {
        Duration cc2Timeout = Duration.ofMillis(600);
        try (Rig rig = new Rig(transport, dir, cc2Timeout, 2, Duration.ofMillis(1_500))) {
            assertThat(rig.send(shard2Detect(), Transport.TCP).status()).isEqualTo(241);
            assertThat(rig.breaker()).isEqualTo(CircuitBreaker.State.CLOSED);
            rig.sim.behavior(Cc2Simulator.Behavior.STALL);
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                assertThat(rig.send(shard2Detect(), Transport.TCP).status()).isEqualTo(48);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("waited the CC2 timeout").isGreaterThanOrEqualTo(500);
            }
            assertThat(rig.breaker()).isEqualTo(CircuitBreaker.State.OPEN);
            for (Transport t : Transport.values()) {
                long t0 = System.nanoTime();
                assertThat(rig.send(shard2Detect(), t).status()).isEqualTo(48);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("fails fast while open").isLessThan(400);
            }
            assertThat(rig.core.stats().breakers().get(0).rejected()).isGreaterThanOrEqualTo(2);
            rig.sim.behavior(Cc2Simulator.Behavior.NORMAL);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int st;
            do {
                Thread.sleep(200);
                st = rig.send(shard2Detect(), Transport.TCP).status();
            } while (st != 241 && System.nanoTime() < deadline);
            assertThat(st).as("answered by CC2 again after the open interval").isEqualTo(241);
            assertThat(rig.breaker()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(rig.core.stats().breakers().get(0).timesOpened()).isEqualTo(1);
        }
    }
}
