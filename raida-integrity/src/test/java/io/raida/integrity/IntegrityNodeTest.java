package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lifecycle of the facade: periodic work, clean shutdown, configuration errors, non-blocking readers. */
@Timeout(60)
class IntegrityNodeTest {

    private static boolean integrityThreadAlive(int id) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("raida-integrity-" + id) && t.isAlive());
    }

    @Test
    void periodicRebuildPicksUpChangesAndCloseStopsEverything() throws Exception {
        InMemoryPageStore store = new InMemoryPageStore();
        ServerCore core = ServerCore.builder().raidaId(2).build();
        IntegrityNode node = IntegrityNode.builder().pageStore(store).raidaId(2).syncInterval(Duration.ofMillis(50))
                .build().install(core).start();
        try {
            assertThat(node.metrics().builds(4)).isEqualTo(1);
            byte[] before = node.forest().rootsVector();
            store.writePage(4, 17, TestPages.issued(3, 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (node.metrics().builds(4) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(node.metrics().builds(4)).isEqualTo(2);
            assertThat(node.metrics().builds(5)).as("unchanged denomination not rebuilt").isEqualTo(1);
            assertThat(node.forest().rootsVector()).isNotEqualTo(before);
            assertThat(node.metrics().lastBuildNanos(4)).isPositive();
            assertThat(integrityThreadAlive(2)).isTrue();
        } finally {
            node.close();
        }
        assertThat(integrityThreadAlive(2)).isFalse();
        ClientRequest roots = RequestBuilder.command(2, 14, 5).payload(new byte[480]).build();
        assertThat(core.answer(roots.frame(), Transport.TCP)[2] & 0xFF).as("handlers removed").isEqualTo(6);
        byte[] vote = IntegrityClient.voteDatagram(new byte[480], new byte[16]);
        assertThat(core.answer(vote, Transport.UDP)).as("vote fast path removed: parsed as a request").hasSize(32);
        assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void configurationErrorsAreExplained() {
        InMemoryPageStore store = new InMemoryPageStore();
        assertThatThrownBy(() -> IntegrityNode.builder().raidaId(1).build()).hasMessageContaining("pageStore");
        assertThatThrownBy(() -> IntegrityNode.builder().pageStore(store).build()).hasMessageContaining("raidaId");
        assertThatThrownBy(() -> IntegrityNode.builder().raidaId(25)).hasMessageContaining("0..24");
        List<InetSocketAddress> three = Collections.nCopies(3, new InetSocketAddress("127.0.0.1", 1));
        assertThatThrownBy(() -> IntegrityNode.builder().peers(three)).hasMessageContaining("25");
        assertThatThrownBy(() -> IntegrityNode.builder().syncInterval(Duration.ZERO)).hasMessageContaining("positive");
        try (IntegrityNode n = IntegrityNode.builder().pageStore(store).raidaId(1).build()) {
            assertThatThrownBy(n::runSyncCycle).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("peers");
        }
    }

    @Test
    void votesGoToAllPeersAtOnceWithOneDeadline() throws Exception {
        // 24 peers that take the vote datagram and never answer: asked one after another (the reference)
        // the round would last 24 vote timeouts; in parallel it lasts one
        List<java.net.DatagramSocket> silent = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        peers.add(null);
        try {
            for (int i = 1; i < 25; i++) {
                java.net.DatagramSocket d = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                silent.add(d);
                peers.add(new InetSocketAddress("127.0.0.1", d.getLocalPort()));
            }
            try (IntegrityNode node = IntegrityNode.builder().pageStore(new InMemoryPageStore()).raidaId(0).peers(peers)
                    .transport("nio").voteTimeout(Duration.ofMillis(400)).requestTimeout(Duration.ofSeconds(1))
                    .build().start()) {
                long t0 = System.nanoTime();
                SyncReport r = node.runSyncCycle();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(r.outcome()).isEqualTo(SyncReport.Outcome.NO_MAJORITY);
                assertThat(r.votesSent()).isEqualTo(24);
                assertThat(r.matches()).isZero();
                assertThat(ms).as("one 400 ms deadline for all 24 votes (sequential: 9 600 ms)").isBetween(350L, 4_000L);
            }
            // every peer did receive its 497-byte vote
            for (java.net.DatagramSocket d : silent) {
                d.setSoTimeout(2_000);
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[600], 600);
                d.receive(p);
                assertThat(p.getLength()).isEqualTo(VoteInterceptor.REQUEST_SIZE);
                assertThat(p.getData()[0]).isEqualTo(VoteInterceptor.MARKER);
            }
        } finally {
            silent.forEach(java.net.DatagramSocket::close);
        }
    }

    @Test
    void parsesThePeersOption() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            sb.append(i == 0 ? "" : ",").append(i == 3 ? "[::1]" : "127.0.0.1").append(':').append(40000 + i);
        }
        List<InetSocketAddress> peers = IntegrityNode.parsePeers(sb.toString());
        assertThat(peers).hasSize(25);
        assertThat(peers.get(24)).isEqualTo(new InetSocketAddress("127.0.0.1", 40024));
        assertThat(peers.get(3).getPort()).isEqualTo(40003);
        assertThat(peers.get(3).getAddress().getHostAddress()).contains(":");
        assertThatThrownBy(() -> IntegrityNode.parsePeers("127.0.0.1:1,127.0.0.1:2")).hasMessageContaining("25");
        assertThatThrownBy(() -> IntegrityNode.parsePeers(sb.toString().replace("127.0.0.1:40024", "127.0.0.1:0")))
                .hasMessageContaining("peer 24");
        assertThatThrownBy(() -> IntegrityNode.parsePeers(sb.toString().replace("127.0.0.1:40007", "localhost")))
                .hasMessageContaining("peer 7");
    }

    @Test
    void votesAndNodeReadsAreAnsweredWhileARebuildIsStuck() throws Exception {
        InMemoryPageStore inner = new InMemoryPageStore();
        inner.writePage(0, 3, TestPages.issued(1, 2));
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> stuck = Collections.synchronizedList(new ArrayList<>());
        PageStore slow = new CountingPageStore(inner) {
            @Override
            public boolean readPage(int den, int page, byte[] dst) throws IOException {
                if (den == 0 && page == 3 && stuck.isEmpty()) {
                    stuck.add("0/3");
                    reading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.readPage(den, page, dst);
            }
        };
        ServerCore core = ServerCore.builder().raidaId(0).build();
        try (IntegrityNode node = IntegrityNode.builder().pageStore(slow).raidaId(0).buildThreads(1).build()
                .install(core)) {
            stuck.add("first build passes");
            node.start();
            byte[] roots = node.forest().rootsVector();
            stuck.clear();
            inner.writePage(0, 3, TestPages.issued(2, 2));
            Thread rebuild = new Thread(node::rebuildTrees, "test-rebuild");
            rebuild.start();
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            // the rebuild holds its page read; readers use the published snapshot
            byte[] reply = core.answer(IntegrityClient.voteDatagram(roots, new byte[16]), Transport.UDP);
            assertThat(reply[0]).isEqualTo((byte) 1);
            ClientRequest n = RequestBuilder.command(0, 14, 2).payload(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 3}).build();
            assertThat(core.answer(n.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(250);
            release.countDown();
            rebuild.join(10_000);
            assertThat(node.forest().rootsVector()).isNotEqualTo(roots);
        }
    }
}
