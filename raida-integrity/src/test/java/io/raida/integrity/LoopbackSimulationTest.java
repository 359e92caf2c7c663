package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 25 RAIDA servers in one JVM on real loopback UDP and TCP sockets (the NIO transport, and for the
 * main scenario also Netty, picked by name through {@link RaidaTransportProvider}), each with its own
 * page store, running one sync cycle each, all at the same time. Most pages are absent, so a tree
 * build is cheap; each server has one I/O and one worker thread.
 */
@Timeout(120)
class LoopbackSimulationTest {
    private static final int N = 25;
    /** The populated pages of the common data set (den, page); every other page is absent. */
    private static final int[][] PAGES = {{0, 0}, {0, 1}, {0, 500}, {1, 3}, {1, 999}, {-8, 2}, {6, 7}, {2, 10}};

    @TempDir
    Path dir;

    private final List<RaidaServer> servers = new ArrayList<>();
    private final List<IntegrityNode> nodes = new ArrayList<>();
    private final List<CountingPageStore> stores = new ArrayList<>();
    private final List<ServerCore> cores = new ArrayList<>();
    private RaidaClient client;

    @AfterEach
    void shutDown() {
        nodes.forEach(IntegrityNode::close);
        servers.forEach(RaidaServer::close);
        if (client != null) {
            client.close();
        }
    }

    private static byte[] basePage(int den, int page) {
        return TestPages.issued(den * 10_000L + page, page % 1024, 100, 1023);
    }

    /** Starts 25 servers with the common data; {@code fileStore} picks servers that keep pages on disk. */
    private void startCluster(IntPredicate fileStore) throws IOException {
        startCluster("nio", fileStore);
    }

    private void startCluster(String transport, IntPredicate fileStore) throws IOException {
        RaidaTransportProvider nio = RaidaTransportProvider.named(transport);
        client = nio.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(3)).build());
        ServerOptions opts = ServerOptions.builder().port(0).ioThreads(1).workerPools(w -> w.workerThreads(1)
                .workerQueueCapacity(256))
                .timeouts(t -> t.shutdownTimeout(Duration.ofMillis(200))).build();
        for (int id = 0; id < N; id++) {
            PageStore inner = fileStore.test(id) ? FilePageStore.open(dir.resolve("raida" + id)) : new InMemoryPageStore();
            for (int[] p : PAGES) {
                inner.writePage(p[0], p[1], basePage(p[0], p[1]));
            }
            CountingPageStore s = new CountingPageStore(inner);
            stores.add(s);
            ServerCore core = ServerCore.builder().raidaId(id).keyResolver(new PageStoreKeyResolver(s)).build();
            cores.add(core);
            servers.add(nio.newServer(core, opts).start());
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (RaidaServer s : servers) {
            peers.add(new InetSocketAddress("127.0.0.1", s.port()));
        }
        for (int id = 0; id < N; id++) {
            IntegrityNode node = IntegrityNode.builder().pageStore(stores.get(id)).raidaId(id).peers(peers)
                    .syncInterval(Duration.ofHours(1)).voteTimeout(Duration.ofSeconds(3))
                    .requestTimeout(Duration.ofSeconds(5)).client(client).allowPageDataFromPeers().buildThreads(1)
                    .build();
            nodes.add(node.install(cores.get(id)));
        }
    }

    /** Builds every tree (after the test's corruption) and runs one sync cycle on all 25 servers at once. */
    private List<SyncReport> syncAll() throws Exception {
        nodes.forEach(IntegrityNode::start);
        return TwentyFiveRaida.syncAll(nodes);
    }

    /** Page bytes as hex (readable assertion messages), or null if absent. */
    private String read(int id, int den, int page) throws IOException {
        byte[] b = new byte[PageStore.PAGE_SIZE];
        return stores.get(id).readPage(den, page, b) ? Bytes.hex(b) : null;
    }

    private static String base(int den, int page) {
        return Bytes.hex(basePage(den, page));
    }

    private String roots(int id) {
        return Bytes.hex(nodes.get(id).forest().rootsVector());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void threeDamagedServersHealTowardTheMajority(String transport) throws Exception {
        startCluster(transport, id -> id == 11);
        // server 4: an issued AN changed; server 11 (file store): a page file missing; server 20: a coin issued
        byte[] p4 = basePage(0, 500);
        p4[100 * 17 + 3] ^= 0x55;
        stores.get(4).inner().writePage(0, 500, p4);
        ((FilePageStore) stores.get(11).inner()).deletePage(1, 3);
        assertThat(((FilePageStore) stores.get(11).inner()).pagePath(1, 3)).doesNotExist();
        byte[] p20 = basePage(-8, 2);
        p20[7 * 17 + 16] = 40;
        stores.get(20).inner().writePage(-8, 2, p20);

        List<SyncReport> reports = syncAll();

        for (int id = 0; id < N; id++) {
            assertThat(roots(id)).as("roots of RAIDA " + id).isEqualTo(roots(0));
        }
        assertThat(read(4, 0, 500)).isEqualTo(base(0, 500));
        assertThat(read(11, 1, 3)).isEqualTo(base(1, 3));
        assertThat(((FilePageStore) stores.get(11).inner()).pagePath(1, 3)).exists();
        assertThat(read(20, -8, 2)).isEqualTo(base(-8, 2));
        assertThat(reports.get(4).healedPages()).containsExactly("0/500");
        assertThat(reports.get(11).healedPages()).containsExactly("1/3");
        assertThat(reports.get(20).healedPages()).containsExactly("-8/2");
        for (int id = 0; id < N; id++) {
            if (id == 4 || id == 11 || id == 20) {
                assertThat(reports.get(id).outcome()).isEqualTo(SyncReport.Outcome.HEALED);
                assertThat(stores.get(id).writes()).hasSize(1);
                assertThat(nodes.get(id).metrics().pagesHealed()).isEqualTo(1);
            } else {
                assertThat(reports.get(id).outcome()).as("RAIDA " + id).isEqualTo(SyncReport.Outcome.IN_MAJORITY);
                assertThat(stores.get(id).writes()).as("majority RAIDA " + id + " is never written").isEmpty();
            }
            assertThat(nodes.get(id).metrics().votesSent()).isEqualTo(24);
        }
        // the healed coin keys are served again by the page-store key resolver
        assertThat(new PageStoreKeyResolver(stores.get(4)).coinAn(0, 500 * 1024 + 100))
                .isEqualTo(java.util.Arrays.copyOfRange(basePage(0, 500), 100 * 17, 100 * 17 + 16));
    }

    @Test
    void pagesAndNodesFromLyingPeersAreNeverWritten() throws Exception {
        startCluster(id -> false);
        byte[] p9 = basePage(1, 999);
        p9[1023 * 17 + 5] ^= 0x11;
        stores.get(9).inner().writePage(1, 999, p9);
        // RAIDA 0 (first trusted peer) serves a tampered page; RAIDA 1 a wrong node hash; RAIDA 2 is honest
        byte[] forged = basePage(1, 999);
        forged[0] ^= 1;
        forged[16] = 1;
        cores.get(0).registry().register(14, 4, req -> io.raida.protocol.server.CommandResult.success(forged.clone()));
        cores.get(1).registry().registerNonBlocking(14, 2, req -> io.raida.protocol.server.CommandResult.success(new byte[32]));

        List<SyncReport> reports = syncAll();

        assertThat(read(9, 1, 999)).isEqualTo(base(1, 999));
        assertThat(stores.get(9).writes()).containsExactly("1/999");
        assertThat(reports.get(9).healedPages()).containsExactly("1/999");
        assertThat(reports.get(9).failures()).as("walks aborted against RAIDA 0 and 1").isEqualTo(2);
        assertThat(nodes.get(9).metrics().healFailures()).isEqualTo(2);
        for (int id = 0; id < N; id++) {
            assertThat(roots(id)).as("roots of RAIDA " + id).isEqualTo(roots(2));
            if (id != 9) {
                assertThat(stores.get(id).writes()).isEmpty();
            }
        }
    }

    @Test
    void thirteenAgainstTwelveHealsTowardTheThirteen() throws Exception {
        startCluster(id -> false);
        byte[] other = basePage(2, 10);
        other[100 * 17] ^= 1; // record 100 is issued: its AN is part of the leaf
        for (int id = 13; id < N; id++) {
            stores.get(id).inner().writePage(2, 10, other);
            ((InMemoryPageStore) stores.get(id).inner()).removePage(6, 7);
        }
        List<SyncReport> reports = syncAll();
        for (int id = 0; id < N; id++) {
            assertThat(roots(id)).as("roots of RAIDA " + id).isEqualTo(roots(0));
            assertThat(read(id, 2, 10)).isEqualTo(base(2, 10));
            assertThat(read(id, 6, 7)).isEqualTo(base(6, 7));
            if (id < 13) {
                assertThat(reports.get(id).outcome()).isEqualTo(SyncReport.Outcome.IN_MAJORITY);
                assertThat(stores.get(id).writes()).as("majority RAIDA " + id).isEmpty();
            } else {
                assertThat(reports.get(id).outcome()).isEqualTo(SyncReport.Outcome.HEALED);
                assertThat(reports.get(id).majoritySupport()).isEqualTo(13);
                assertThat(reports.get(id).healedPages()).containsExactlyInAnyOrder("2/10", "6/7");
            }
        }
    }

    @Test
    void elevenAgainstFourteenThatDisagreeHealsNothing() throws Exception {
        startCluster(id -> false);
        List<String> before = new ArrayList<>();
        for (int id = 11; id < N; id++) {
            byte[] p = basePage(0, 1);
            p[(id % 1024) * 17 + 16] = 1; // each of the 14 issues a different coin
            stores.get(id).inner().writePage(0, 1, p);
        }
        List<SyncReport> reports = syncAll();
        for (int id = 0; id < N; id++) {
            before.add(roots(id));
            assertThat(stores.get(id).writes()).as("RAIDA " + id + " written").isEmpty();
            assertThat(reports.get(id).outcome()).as("RAIDA " + id).isEqualTo(SyncReport.Outcome.NO_MAJORITY);
            assertThat(nodes.get(id).metrics().pagesHealed()).isZero();
        }
        assertThat(reports.get(0).matches()).isEqualTo(10);
        assertThat(reports.get(0).ballots()).isEqualTo(14);
        for (int id = 12; id < N; id++) {
            assertThat(before.get(id)).isNotEqualTo(before.get(id - 1));
        }
    }

    @Test
    void pageDataOverTheWireIsRefusedToAddressesNotOnTheAllowList() throws Exception {
        startCluster(id -> false);
        nodes.forEach(IntegrityNode::start);
        RaidaTransportProvider nio = RaidaTransportProvider.named("nio");
        ServerCore core = ServerCore.builder().raidaId(3).build();
        InMemoryPageStore s = new InMemoryPageStore();
        s.writePage(0, 0, basePage(0, 0));
        try (IntegrityNode strict = IntegrityNode.builder().pageStore(s).raidaId(3)
                .allowPageData(java.net.InetAddress.getByName("127.0.0.2")).build().install(core).start();
             RaidaServer server = nio.newServer(core, ServerOptions.builder().port(0)
                     .workerPools(w -> w.workerThreads(1)).build()).start()) {
            IntegrityClient c = new IntegrityClient(client, 6, Duration.ofSeconds(3));
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", server.port());
            assertThat(c.pageData(a, 3, 0, 0)).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .withMessageContaining("ERROR_ADMIN_AUTH(38)");
            assertThat(c.merkleNode(a, 3, 0, 0, 0).get()).isEqualTo(MerkleTree.leafHash(basePage(0, 0)));
            assertThat(c.allRoots(a, 3, new byte[480]).get()).isEqualTo(strict.forest().rootsVector());
            // peers of the cluster allow each other (127.0.0.1)
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", servers.get(5).port());
            assertThat(Bytes.hex(c.pageData(peer, 5, 0, 500).get())).isEqualTo(base(0, 500));
            assertThat(c.vote(peer, nodes.get(5).forest().rootsVector(), Duration.ofSeconds(3)).get()).isEqualTo(IntegrityClient.Vote.MATCH);
            assertThat(c.vote(peer, new byte[480], Duration.ofSeconds(3)).get()).isEqualTo(IntegrityClient.Vote.NO_MATCH);
        }
    }
}
