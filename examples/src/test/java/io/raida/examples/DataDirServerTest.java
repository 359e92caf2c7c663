package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.InMemoryPageStore;
import io.raida.integrity.IntegrityNode;
import io.raida.integrity.PageStore;
import io.raida.integrity.SyncReport;
import io.raida.protocol.CommandGroup;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server --data-dir}: keys are the ANs in the page store, and the integrity service is installed. */
class DataDirServerTest {
    private static final String AN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void keysComeFromThePagesAndIntegrityCommandsAreServed(@TempDir Path dir) throws Exception {
        // coin 2:1030 = page 1, record 6, issued (MFS byte non-zero)
        try (FilePageStore store = FilePageStore.open(dir)) {
            byte[] page = new byte[PageStore.PAGE_SIZE];
            System.arraycopy(HexFormat.of().parseHex(AN), 0, page, 6 * PageStore.RECORD_SIZE, 16);
            page[6 * PageStore.RECORD_SIZE + 16] = 1;
            store.writePage(2, 1, page);
        }
        ServerSettings s = ServerSettings.parse(List.of("--port", "0", "--data-dir", dir.toString(), "--raida-id", "2",
                "--sync-interval", "600"));
        try (ServerCommand.Running running = ServerCommand.start(s)) {
            assertThat(running.integrity()).isNotNull();
            assertThat(running.server().core().registry().lookup(CommandGroup.INTEGRITY.code(), 2)).isNotNull();
            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(running.port()), "--raida-id", "2",
                    "--denomination", "2", "--serial-number", "1030", "--an", AN);
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("client: all 12 calls succeeded");

            // the demo coins are not in this store
            DemoTest.Run demo = DemoTest.run("client", "--port", String.valueOf(running.port()), "--raida-id", "2",
                    "--types", "4", "--protocol", "udp");
            assertThat(demo.code()).as(demo.out()).isEqualTo(1);
        }
        assertThat(Files.isDirectory(dir.resolve("Data"))).isTrue();
    }

    /** A page with records 0..9 issued, ANs derived from {@code seed}. */
    private static byte[] page(int seed) {
        byte[] p = new byte[PageStore.PAGE_SIZE];
        for (int r = 0; r < 10; r++) {
            Arrays.fill(p, r * PageStore.RECORD_SIZE, r * PageStore.RECORD_SIZE + 16, (byte) (seed + r));
            p[r * PageStore.RECORD_SIZE + 16] = 5;
        }
        return p;
    }

    @Test
    void peersOptionRunsTheSyncAndHealsTheDataDirectoryFromTheOther24(@TempDir Path dir) throws Exception {
        // RAIDA 1..24: in-memory stores holding pages 1/3 and 2/7, integrity service on a NIO server each
        RaidaTransportProvider nio = RaidaTransportProvider.named("nio");
        List<RaidaServer> servers = new ArrayList<>();
        List<IntegrityNode> nodes = new ArrayList<>();
        try {
            StringBuilder peers = new StringBuilder("-");
            for (int id = 1; id < 25; id++) {
                InMemoryPageStore s = new InMemoryPageStore();
                s.writePage(1, 3, page(10));
                s.writePage(2, 7, page(20));
                ServerCore core = ServerCore.builder().raidaId(id).build();
                IntegrityNode node = IntegrityNode.builder().pageStore(s).raidaId(id)
                        .allowPageData(InetAddress.getLoopbackAddress()).build().install(core);
                nodes.add(node);
                RaidaServer server = nio.newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                        .workerPools(w -> w.workerThreads(1)).ioThreads(1).build()).start();
                servers.add(server);
                node.start();
                peers.append(",127.0.0.1:").append(server.port());
            }
            // RAIDA 0 (the example server): page 1/3 altered, page 2/7 missing
            try (FilePageStore store = FilePageStore.open(dir)) {
                byte[] altered = page(10);
                altered[3] ^= 0x40;
                store.writePage(1, 3, altered);
            }
            ServerSettings s = ServerSettings.parse(List.of("--port", "0", "--data-dir", dir.toString(), "--raida-id",
                    "0", "--peers", peers.toString(), "--sync-interval", "3600"));
            try (ServerCommand.Running running = ServerCommand.start(s)) {
                SyncReport r = running.integrity().runSyncCycle();
                assertThat(r.outcome()).as(r.toString()).isEqualTo(SyncReport.Outcome.HEALED);
                assertThat(r.votesSent()).isEqualTo(24);
                assertThat(r.majoritySupport()).isEqualTo(24);
                assertThat(r.healedPages()).containsExactlyInAnyOrder("1/3", "2/7");
                assertThat(running.integrity().forest().rootsVector()).isEqualTo(nodes.get(0).forest().rootsVector());
            }
            try (FilePageStore store = FilePageStore.open(dir)) {
                byte[] b = new byte[PageStore.PAGE_SIZE];
                assertThat(store.readPage(1, 3, b)).isTrue();
                assertThat(b).isEqualTo(page(10));
                assertThat(store.readPage(2, 7, b)).isTrue();
                assertThat(b).isEqualTo(page(20));
            }
        } finally {
            nodes.forEach(IntegrityNode::close);
            servers.forEach(RaidaServer::close);
        }
    }
}
