package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Transport;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the integrity cases of {@code reference-vectors.json} through {@link ServerCore#answer}
 * with a page store that reproduces the captured data. Phase A = node installed but not started (no
 * trees); phase B = trees built. 14/4 replays need the reference's "anyone" access (D-16), set
 * explicitly here. Deliberate difference (D-17): in phase A the reference votes "match" on zeros;
 * this implementation does not vote before its first build and drops the datagram.
 */
class IntegrityConformanceTest {
    private static ReferenceVectors vectors;
    private static ReferenceDataStore store;
    private static ServerCore phaseA;
    private static IntegrityNode nodeA;
    private static ServerCore phaseB;
    private static IntegrityNode nodeB;

    @BeforeAll
    static void setUp() {
        vectors = ReferenceVectors.load();
        store = new ReferenceDataStore(vectors);
        phaseA = ReferenceServer.create(vectors);
        nodeA = IntegrityNode.builder().pageStore(store).raidaId(0).allowPageDataFromAnyone().build().install(phaseA);
        phaseB = ReferenceServer.create(vectors);
        nodeB = IntegrityNode.builder().pageStore(store).raidaId(0).allowPageDataFromAnyone().buildThreads(2).build()
                .install(phaseB);
        nodeB.start();
    }

    @AfterAll
    static void tearDown() {
        nodeA.close();
        nodeB.close();
    }

    private static void replay(String name, ServerCore core) {
        ReferenceVectors.Case c = vectors.get(name);
        byte[] ours = core.answer(c.request(), c.transportKind());
        assertThat(ours).as(name).isNotNull();
        assertThat(ReferenceVectors.maskedDiff(c.response(), ours, c.variableRanges())).as(name).isEmpty();
    }

    @Test
    void capturedDataRuleReproducesTheCoins() {
        for (ReferenceVectors.Coin coin : vectors.coins()) {
            int page = (int) (coin.serialNumber() / 1024);
            int rec = (int) (coin.serialNumber() % 1024);
            assertThat(ReferenceDataStore.an(coin.denomination(), page, rec)).isEqualTo(coin.an());
            assertThat(new PageStoreKeyResolver(store).coinAn(coin.denomination(), coin.serialNumber()))
                    .isEqualTo(coin.an());
        }
        // MFS 0 is not a key (D-33)
        assertThat(new PageStoreKeyResolver(store).coinAn(0, 4)).isNull();
    }

    @Test
    void phaseACommandsWithoutTrees() {
        for (String n : List.of("integrity_all_roots_tcp_sync_disabled", "integrity_all_roots_udp_sync_disabled",
                "integrity_all_roots_tcp_wrong_size", "integrity_all_roots_tcp_no_body",
                "integrity_merkle_node_tcp_sync_disabled", "integrity_merkle_node_tcp_wrong_size",
                "integrity_page_data_tcp_den0_page0", "integrity_page_data_udp_den0_page0",
                "integrity_page_data_tcp_den_f8_page0", "integrity_page_data_tcp_missing_page",
                "integrity_page_data_tcp_wrong_size")) {
            replay(n, phaseA);
        }
    }

    @Test
    void phaseAVotesAreNotAnsweredBeforeTheFirstBuild() {
        for (String n : List.of("udp_vote_match_zero_roots", "udp_vote_mismatch")) {
            ReferenceVectors.Case c = vectors.get(n);
            assertThat(c.request()).hasSize(497);
            // reference: vote byte c.expectedVote(); here: dropped, the asker counts "no vote" (D-17)
            assertThat(phaseA.answer(c.request(), Transport.UDP)).as(n).isNull();
        }
        assertThat(nodeA.metrics().voteRequestsDropped()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aDatagramOf496BytesStartingWith7IsANormalRequest() {
        ReferenceVectors.Case c = vectors.get("udp_vote_wrong_length_is_normal_request");
        byte[] ours = phaseB.answer(c.request(), Transport.UDP);
        // the reference's echo/challenge fields are stale from a primer datagram (D-10); the status is what counts
        assertThat(ours).hasSize(32);
        assertThat(ours[2] & 0xFF).isEqualTo(c.status()).isEqualTo(255);
    }

    @Test
    void phaseBCommandsWithTrees() {
        for (String n : List.of("integrity_all_roots_tcp_sync_enabled", "integrity_merkle_node_tcp_den00_l10_i0",
                "integrity_merkle_node_tcp_den00_l0_i0", "integrity_merkle_node_tcp_den00_l0_i1",
                "integrity_merkle_node_tcp_den00_l1_i0", "integrity_merkle_node_tcp_den00_l9_i1",
                "integrity_merkle_node_tcp_den01_l0_i1", "integrity_merkle_node_tcp_denf8_l10_i0",
                "integrity_merkle_node_tcp_den00_l11_i0", "integrity_merkle_node_tcp_den00_l0_i1000")) {
            replay(n, phaseB);
        }
    }

    @Test
    void phaseBVotes() {
        for (String n : List.of("udp_vote_match_real_roots", "udp_vote_mismatch_zero_roots")) {
            ReferenceVectors.Case c = vectors.get(n);
            byte[] ours = phaseB.answer(c.request(), Transport.UDP);
            assertThat(ours).as(n).isEqualTo(c.response());
            assertThat(ours[0] & 0xFF).isEqualTo(c.expectedVote());
        }
    }

    @Test
    void everyIntegrityCaseOfTheFileIsCovered() {
        long n = vectors.cases().stream().filter(c -> c.name().startsWith("integrity_") || c.name().startsWith("udp_vote"))
                .count();
        assertThat(n).isEqualTo(11 + 3 + 10 + 2);
        assertThat(Bytes.hex(nodeB.forest().rootsVector(), 8 * 32, 32))
                .isEqualTo(Bytes.hex(vectors.get("integrity_merkle_node_tcp_den00_l10_i0").response(), 32, 32));
    }
}
