package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinHealer;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.HealResult;
import io.raida.protocol.cluster.ProtocolPolicy;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.internal.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What "the Merkle roots still agree after a pown" can mean. The leaf hashes the ANs of the issued
 * records (integrity.md §3), so RAIDA agree on a root only where they hold the same ANs: on a network
 * where a coin has the same AN on every RAIDA, a pown that one RAIDA misses leaves it alone with the old
 * root until a sync cycle heals its page from the other 24; on a normal network (a different AN per
 * RAIDA) the 25 roots differ before and after a pown, and the sync, finding no majority, touches nothing.
 * 25 RAIDA on loopback, each with a page store, the coin commands (group 1), the healing commands
 * (group 2) and an integrity node (group 14 and the UDP vote) with the other 24 as peers.
 */
@Timeout(180)
class PownRootsTest {
    private static final int DEN = 1;
    private static final long SN = 3;
    private static final int DOWN = 24;

    private TwentyFiveRaida net;
    private final List<IntegrityNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    /** 25 RAIDA, RAIDA i holding page 0 of {@link #DEN} with ANs from {@code seedOf.apply(i)}. */
    private void start(String transport, IntFunction<Long> seedOf) throws IOException {
        net = TwentyFiveRaida.start(transport, 2, id -> TwentyFiveRaida.storeWith(DEN, seedOf.apply(id), 1, 2, 3, 4));
        for (int id = 0; id < TwentyFiveRaida.N; id++) {
            PageStore store = net.stores.get(id);
            net.track(CoinCommands.register(net.cores.get(id), store));
            net.track(HealingCommands.builder().pageStore(store).peers(net.addresses).client(net.client)
                    .legTimeout(Duration.ofMillis(1500)).fixTimeout(Duration.ofSeconds(5)).build()
                    .install(net.cores.get(id)));
            IntegrityNode node = net.track(IntegrityNode.builder().pageStore(store).raidaId(id).peers(net.addresses)
                    .syncInterval(Duration.ofHours(1)).voteTimeout(Duration.ofSeconds(3))
                    .requestTimeout(Duration.ofSeconds(5)).client(net.client).allowPageDataFromPeers().buildThreads(1)
                    .build());
            nodes.add(node.install(net.cores.get(id)).start());
        }
    }

    private RaidaCluster cluster() {
        ClusterOptions options = ClusterOptions.builder().deadline(Duration.ofSeconds(30))
                .attemptTimeout(Duration.ofSeconds(3)).protocol(ProtocolPolicy.UDP_THEN_TCP).build();
        return net.track(RaidaCluster.builder(RaidaNetwork.of(net.addresses)).transport(net.provider).options(options)
                .build());
    }

    /** RAIDA {@code id}'s roots vector (480 bytes as hex) after rebuilding what changed, as 14/5 would serve it. */
    private String roots(int id) {
        nodes.get(id).rebuildTrees();
        return Bytes.hex(nodes.get(id).forest().rootsVector());
    }

    private List<String> allRoots() {
        List<String> out = new ArrayList<>();
        for (int id = 0; id < TwentyFiveRaida.N; id++) {
            out.add(roots(id));
        }
        return out;
    }

    private byte[] storedAn(int raida) throws IOException {
        byte[] rec = new byte[17];
        assertThat(net.stores.get(raida).readRecord(DEN, 0, (int) SN, rec, 0)).isTrue();
        return Arrays.copyOf(rec, 16);
    }

    private Coin coinAsStored() throws IOException {
        List<byte[]> ans = new ArrayList<>();
        for (int r = 0; r < TwentyFiveRaida.N; r++) {
            ans.add(storedAn(r));
        }
        return Coin.of(DEN, SN, ans);
    }

    private static byte[] random16() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void sameAnOnEveryRaidaRootsAgreeAgainAfterTheMissedPownIsSynced(String transport, @TempDir Path dir)
            throws Exception {
        // the same page on every RAIDA: the coin has one AN everywhere, so the 25 roots are equal
        start(transport, id -> 77L);
        List<String> before = allRoots();
        assertThat(new HashSet<>(before)).hasSize(1);
        Coin old = coinAsStored();
        Path file = dir.resolve("1." + SN + ".bin");
        CoinFile.of(old).write(file);

        // pown with one new AN for every RAIDA (the same PAN 25 times) while RAIDA 24 is down
        net.stop(DOWN);
        byte[] newAn = random16();
        List<byte[]> pans = Collections.nCopies(TwentyFiveRaida.N, newAn);
        RaidaCluster cluster = cluster();
        BatchResult pown = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false)
                .pown(List.of(CoinFile.read(file).coin()), List.of(pans)).get(60, TimeUnit.SECONDS);
        CoinResult result = pown.coins().get(0);
        assertThat(result.pown().toString()).isEqualTo("p".repeat(24) + "n");
        assertThat(result.grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(result.newAnOn()).hasSize(24).doesNotContain(DOWN);
        CoinFile.of(result.coin()).write(file);
        Coin out = CoinFile.read(file).coin();
        for (int r = 0; r < DOWN; r++) {
            assertThat(out.an(r)).as("file AN of RAIDA %d", r).isEqualTo(newAn);
            assertThat(storedAn(r)).as("AN held by RAIDA %d", r).isEqualTo(newAn);
        }
        assertThat(out.an(DOWN)).as("the file keeps the AN RAIDA 24 held").isEqualTo(old.an(DOWN));
        assertThat(storedAn(DOWN)).isEqualTo(old.an(DOWN));

        // the 24 roots changed and agree; RAIDA 24 still has the old one
        List<String> afterPown = allRoots();
        for (int r = 0; r < DOWN; r++) {
            assertThat(afterPown.get(r)).as("roots of RAIDA %d", r).isEqualTo(afterPown.get(0))
                    .isNotEqualTo(before.get(r));
        }
        assertThat(afterPown.get(DOWN)).isEqualTo(before.get(DOWN)).isNotEqualTo(afterPown.get(0));

        // RAIDA 24 comes back; one sync cycle on all 25 (UDP votes, 14/5 ballots, 14/2 and 14/4 walk)
        net.restart(DOWN);
        List<SyncReport> reports = TwentyFiveRaida.syncAll(nodes);
        assertThat(reports.get(DOWN).outcome()).isEqualTo(SyncReport.Outcome.HEALED);
        assertThat(reports.get(DOWN).healedPages()).containsExactly(DEN + "/0");
        assertThat(reports.get(DOWN).majoritySupport()).isGreaterThanOrEqualTo(13);
        for (int r = 0; r < DOWN; r++) {
            assertThat(reports.get(r).outcome()).as("RAIDA %d", r).isEqualTo(SyncReport.Outcome.IN_MAJORITY);
            assertThat(reports.get(r).healedPages()).isEmpty();
        }
        assertThat(allRoots()).as("all 25 roots agree again").containsOnly(afterPown.get(0));
        assertThat(storedAn(DOWN)).as("RAIDA 24 took the majority's page, with the new AN").isEqualTo(newAn);

        // the file says RAIDA 24 holds the old AN; the sync moved it on, so that AN fails there now
        BatchResult detect = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false).detect(List.of(out))
                .get(60, TimeUnit.SECONDS);
        assertThat(detect.coins().get(0).pown().toString()).isEqualTo("p".repeat(24) + "f");
        // a file that kept its PANs: find sees RAIDA 24 holds the PAN, the coin adopts it, no ticket needed
        HealResult healed = CoinHealer.unencrypted(cluster).healFiles(List.of(new CoinFile(out, pans)));
        assertThat(healed.rounds()).isZero();
        Coin now = healed.coins().get(0).coin();
        assertThat(now.ans()).allSatisfy(an -> assertThat(an).isEqualTo(newAn));
        BatchResult all = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false).detect(List.of(now))
                .get(60, TimeUnit.SECONDS);
        assertThat(all.coins().get(0).pown().toString()).isEqualTo("p".repeat(25));
        assertThat(all.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        // and the old ANs fail on all 25, RAIDA 24 included
        BatchResult second = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false)
                .pown(List.of(old), List.of(pans)).get(60, TimeUnit.SECONDS);
        assertThat(second.coins().get(0).pown().toString()).isEqualTo("f".repeat(25));
        assertThat(second.coins().get(0).grade()).isEqualTo(Grade.COUNTERFEIT);
    }

    @Test
    void differentAnOnEveryRaidaEveryRootChangesAndNoneAgree() throws Exception {
        // the normal network: every RAIDA holds its own AN for each coin
        start("nio", id -> 1000L + id);
        List<String> before = allRoots();
        assertThat(new HashSet<>(before)).as("25 distinct roots before any pown").hasSize(TwentyFiveRaida.N);

        List<byte[]> pans = new ArrayList<>();
        for (int r = 0; r < TwentyFiveRaida.N; r++) {
            pans.add(random16());
        }
        BatchResult pown = CoinAuthenticator.unencrypted(cluster()).completeWhenDecided(false)
                .pown(List.of(coinAsStored()), List.of(pans)).get(60, TimeUnit.SECONDS);
        assertThat(pown.coins().get(0).pown().toString()).isEqualTo("p".repeat(25));

        List<String> after = allRoots();
        for (int r = 0; r < TwentyFiveRaida.N; r++) {
            assertThat(after.get(r)).as("roots of RAIDA %d changed", r).isNotEqualTo(before.get(r));
        }
        assertThat(new HashSet<>(after)).as("and are still 25 distinct vectors").hasSize(TwentyFiveRaida.N);

        // a sync cycle sees no majority and writes nothing: 25 different roots are not damage to repair
        List<SyncReport> reports = TwentyFiveRaida.syncAll(nodes);
        for (int r = 0; r < TwentyFiveRaida.N; r++) {
            assertThat(reports.get(r).outcome()).as("RAIDA %d", r).isEqualTo(SyncReport.Outcome.NO_MAJORITY);
            assertThat(reports.get(r).healedPages()).isEmpty();
            assertThat(storedAn(r)).isEqualTo(pans.get(r));
        }
        assertThat(allRoots()).isEqualTo(after);
        Set<Long> healed = new HashSet<>();
        nodes.forEach(n -> healed.add(n.metrics().pagesHealed()));
        assertThat(healed).containsExactly(0L);
    }
}
