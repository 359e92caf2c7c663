package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The healing walk racing with local writes and with {@link IntegrityNode#close()}. RAIDA 0 keeps its
 * pages on disk ({@link FilePageStore}, whose reads an interrupt breaks) and has two pages of
 * denomination 0 that differ from the 13 peers on loopback (NIO), which are the majority; the other 11
 * RAIDA ids are not configured. Each peer's 14/4 handler is replaced so a test can act, or hang, while
 * RAIDA 0 waits for page 20.
 */
@Timeout(90)
class HealRaceAndCloseTest {
    private static final int PEERS = 13;
    private static final int DEN = 0;
    private static final int FIRST = 10;
    private static final int SECOND = 20;

    @TempDir
    Path dir;

    private final List<RaidaServer> servers = new ArrayList<>();
    private final List<IntegrityNode> peerNodes = new ArrayList<>();
    private final List<InetSocketAddress> peers = new ArrayList<>();
    private final CountDownLatch fetchingSecond = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** What a peer does when asked for page {@link #SECOND} (before answering it). */
    private volatile Runnable onSecond = () -> { };
    private FilePageStore store;
    private IntegrityNode node;

    private static byte[] majority(int page) {
        return TestPages.issued(1000 + page, 3, 500, 1023);
    }

    private static byte[] damaged(int page) {
        byte[] p = majority(page);
        p[500 * 17 + 2] ^= 0x5A; // an issued AN differs
        return p;
    }

    @BeforeEach
    void startPeersAndLocalStore() throws IOException {
        RaidaTransportProvider nio = RaidaTransportProvider.named("nio");
        ServerOptions opts = ServerOptions.builder().port(0).ioThreads(1).workerPools(w -> w.workerThreads(2)
                .workerQueueCapacity(64))
                .timeouts(t -> t.shutdownTimeout(Duration.ofMillis(200))).build();
        peers.addAll(Collections.nCopies(SyncEngine.SERVERS, null));
        for (int id = 1; id <= PEERS; id++) {
            InMemoryPageStore s = new InMemoryPageStore();
            s.writePage(DEN, FIRST, majority(FIRST));
            s.writePage(DEN, SECOND, majority(SECOND));
            ServerCore core = ServerCore.builder().raidaId(id).build();
            peerNodes.add(IntegrityNode.builder().pageStore(s).raidaId(id).allowPageDataFromAnyone().buildThreads(1)
                    .build().install(core).start());
            core.registry().register(14, 4, req -> {
                byte[] a = req.payloadArray();
                int den = a[req.payloadOffset()];
                int page = (int) Bytes.u32(a, req.payloadOffset() + 1);
                if (page == SECOND) {
                    onSecond.run();
                }
                byte[] out = new byte[PageStore.PAGE_SIZE];
                return s.readPage(den, page, out) ? CommandResult.success(out)
                        : CommandResult.of(io.raida.protocol.StatusCode.ERROR_FILE_NOT_EXIST);
            });
            RaidaServer server = nio.newServer(core, opts).start();
            servers.add(server);
            peers.set(id, new InetSocketAddress("127.0.0.1", server.port()));
        }
        store = FilePageStore.open(dir);
        store.writePage(DEN, FIRST, damaged(FIRST));
        store.writePage(DEN, SECOND, damaged(SECOND));
    }

    @AfterEach
    void stopAll() {
        release.countDown();
        if (node != null) {
            node.close();
        }
        peerNodes.forEach(IntegrityNode::close);
        servers.forEach(RaidaServer::close);
    }

    private IntegrityNode localNode(Duration syncInterval, Duration requestTimeout) {
        return IntegrityNode.builder().pageStore(store).raidaId(0).peers(peers).transport("nio")
                .syncInterval(syncInterval).voteTimeout(Duration.ofSeconds(3)).requestTimeout(requestTimeout)
                .buildThreads(2).build();
    }

    private byte[] local(int page) throws IOException {
        byte[] b = new byte[PageStore.PAGE_SIZE];
        assertThat(store.readPage(DEN, page, b)).isTrue();
        return b;
    }

    /** Peers' 14/4 for page {@link #SECOND} hangs until the test ends. */
    private void hangOnSecondPage() {
        onSecond = () -> {
            fetchingSecond.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static Set<String> raidaThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("raida-")).collect(Collectors.toSet());
    }

    /** Threads RAIDA 0 started (its scheduler, tree builders, its own NIO client) that are still alive. */
    private static Set<String> leftOver(Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> left;
        do {
            left = raidaThreads();
            left.removeAll(before);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return left;
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aPageWrittenHereAfterTheSnapshotIsNotOverwrittenByTheHeal() throws Exception {
        // while RAIDA 0 fetches page 20 from the majority, a coin is issued on that page here
        byte[] issuedMeanwhile = damaged(SECOND);
        issuedMeanwhile[77 * 17 + 16] = 12;
        AtomicBoolean once = new AtomicBoolean();
        onSecond = () -> {
            if (once.compareAndSet(false, true)) {
                try {
                    store.writePage(DEN, SECOND, issuedMeanwhile);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        node = localNode(Duration.ofHours(1), Duration.ofSeconds(5)).start();

        SyncReport r = node.runSyncCycle();

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SyncReport.Outcome.HEALED);
        assertThat(r.majoritySupport()).isEqualTo(PEERS);
        assertThat(r.healedPages()).as("the normal heal still works").containsExactly(DEN + "/" + FIRST);
        assertThat(local(FIRST)).isEqualTo(majority(FIRST));
        assertThat(local(SECOND)).as("the local write is kept").isEqualTo(issuedMeanwhile);
        assertThat(node.metrics().healsSkipped()).isEqualTo(1);
        assertThat(node.metrics().pagesHealed()).isEqualTo(1);
        assertThat(node.metrics().healFailures()).isZero();

        // the next cycle sees the local write in its snapshot and decides on it again (the majority differs)
        SyncReport again = node.runSyncCycle();
        assertThat(again.healedPages()).containsExactly(DEN + "/" + SECOND);
        assertThat(local(SECOND)).isEqualTo(majority(SECOND));
        assertThat(node.forest().rootsVector()).isEqualTo(peerNodes.get(0).forest().rootsVector());
        assertThat(node.metrics().healsSkipped()).isEqualTo(1);
        assertNoTemporaryFiles();
    }

    @Test
    void closeStopsAScheduledCycleWaitingOnASilentPeer() throws Exception {
        hangOnSecondPage();
        Set<String> before = raidaThreads();
        // a 20 s request timeout: only a cycle that stops on close() lets close() return quickly
        node = localNode(Duration.ofMillis(100), Duration.ofSeconds(20)).start();
        assertThat(fetchingSecond.await(30, TimeUnit.SECONDS)).as("the scheduled cycle reached page 20").isTrue();

        long t0 = System.nanoTime();
        node.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(ms).as("close() during a cycle").isLessThan(5_000);
        assertThat(leftOver(before)).as("threads of RAIDA 0 still alive").isEmpty();
        IntegrityMetrics m = node.metrics();
        assertThat(m.syncCyclesStopped()).as(m.toString()).isEqualTo(1);
        assertThat(m.healFailures()).as("an interrupt is not a failing peer: " + m).isZero();
        assertThat(m.treeBuildFailures()).as("no tree build failed on the interrupt: " + m).isZero();
        assertThat(m.pagesHealed()).isEqualTo(1);
        assertThat(local(FIRST)).isEqualTo(majority(FIRST));
        assertThat(local(SECOND)).as("nothing half-done").isEqualTo(damaged(SECOND));
        assertNoTemporaryFiles();
    }

    @Test
    void closeStopsACycleRunOnTheCallersThread() throws Exception {
        hangOnSecondPage();
        Set<String> before = raidaThreads();
        node = localNode(Duration.ofHours(1), Duration.ofSeconds(20)).start();
        CompletableFuture<SyncReport> cycle = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                cycle.complete(node.runSyncCycle());
            } catch (RuntimeException e) {
                cycle.completeExceptionally(e);
            }
        }, "test-sync-caller");
        caller.start();
        assertThat(fetchingSecond.await(30, TimeUnit.SECONDS)).as("the cycle reached page 20").isTrue();

        long t0 = System.nanoTime();
        node.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(ms).as("close() waits for the caller's cycle, which stops").isLessThan(5_000);
        SyncReport r = cycle.get(1, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.STOPPED);
        assertThat(r.healedPages()).containsExactly(DEN + "/" + FIRST);
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(leftOver(before)).as("threads of RAIDA 0 still alive").isEmpty();
        assertThat(node.metrics().healFailures()).isZero();
        assertThat(node.metrics().treeBuildFailures()).isZero();
        assertThat(local(SECOND)).isEqualTo(damaged(SECOND));
        assertNoTemporaryFiles();
    }
}
