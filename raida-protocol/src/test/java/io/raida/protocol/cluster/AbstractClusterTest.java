package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.TransportTestSupport;
import io.raida.protocol.testing.DeadPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 25-RAIDA suite every transport runs: 25 servers in this JVM on real loopback sockets (UDP
 * and TCP), each with its own coin records ({@link InMemoryGroup1}), and a {@link RaidaCluster} on
 * the transport's client. Extend it and implement {@link #newServer} and {@link #newClient}.
 * Timeouts are generous: the machine may be loaded.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class AbstractClusterTest {

    /** A new, not yet started server for {@code core}. */
    protected abstract RaidaServer newServer(ServerCore core, ServerOptions options);

    /** A new client. */
    protected abstract RaidaClient newClient(ClientOptions options);

    /** How a test RAIDA behaves. */
    enum Trait {
        /** No server at all: nothing listens on its port. */
        DEAD,
        /** Group-1 handlers answer only at the end of the test. */
        SLOW,
        /** TCP only. */
        NO_UDP,
        /** Holds other ANs for the test coins than the client. */
        WRONG_AN,
        /** Answers type 1 with the restarting keystream (the reference on non-Intel CPUs). */
        RESTART
    }

    static final String VERSION = "20261121";
    static final Duration ATTEMPT = Duration.ofMillis(1_500);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<InMemoryGroup1> stores = new ArrayList<>();
    private final List<Set<Trait>> traits = new ArrayList<>();
    /** The key coin every RAIDA knows (type 1/4 key). */
    final Coin keyCoin = coin(1, 100_001);
    RaidaNetwork network;
    RaidaClient client;

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    <T extends AutoCloseable> T track(T r) {
        resources.push(r);
        return r;
    }

    static Coin coin(int den, long sn) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ans.add(TransportTestSupport.randomBytes(16));
        }
        return Coin.of(den, sn, ans);
    }

    /** Starts 25 RAIDA; {@code traitOf.apply(i)} gives RAIDA i's traits. */
    void startNetwork(java.util.function.IntFunction<Set<Trait>> traitOf, List<Coin> coins) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Set<Trait> t = traitOf.apply(i);
            traits.add(t);
            InMemoryGroup1 store = new InMemoryGroup1(t.contains(Trait.SLOW), release);
            stores.add(store);
            for (Coin c : coins) {
                store.put(c.denomination(), c.serialNumber(),
                        t.contains(Trait.WRONG_AN) ? TransportTestSupport.randomBytes(16) : c.an(i));
            }
            if (t.contains(Trait.DEAD)) {
                addresses.add(track(DeadPort.open()).address());
                continue;
            }
            InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver()
                    .putCoin(keyCoin.denomination(), keyCoin.serialNumber(), keyCoin.an(i));
            ServerCore core = ServerCore.builder().raidaId(i).coinId(6).keyResolver(keys).versionString(VERSION)
                    .legacyReplyKeystream(t.contains(Trait.RESTART) ? KeystreamMode.RESTART : KeystreamMode.CONTINUE)
                    .build();
            store.register(core.registry());
            ServerOptions options = ServerOptions.builder().host("127.0.0.1").port(0)
                    .workerPools(w -> w.workerThreads(2))
                    .udp(!t.contains(Trait.NO_UDP)).timeouts(tm -> tm.shutdownTimeout(Duration.ofSeconds(2))).build();
            RaidaServer server = track(newServer(core, options));
            server.start();
            addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        }
        network = RaidaNetwork.of(addresses);
        client = track(newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10)).build()));
    }

    void startHealthy(List<Coin> coins) throws IOException {
        startNetwork(i -> EnumSet.noneOf(Trait.class), coins);
    }

    RaidaCluster cluster(ClusterOptions.Builder options) {
        return track(RaidaCluster.builder(network).client(client).options(options.build()).build());
    }

    static ClusterOptions.Builder options() {
        return ClusterOptions.builder().attemptTimeout(ATTEMPT).deadline(Duration.ofSeconds(30));
    }

    private static String letters(java.util.function.IntPredicate n, java.util.function.IntPredicate f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            sb.append(n.test(i) ? 'n' : f.test(i) ? 'f' : 'p');
        }
        return sb.toString();
    }

    @Test
    void allHealthyGiveTwentyFiveSuccesses() throws Exception {
        startHealthy(List.of());
        RaidaCluster cluster = cluster(options());
        List<RaidaOutcome> heard = new CopyOnWriteArrayList<>();
        ClusterReply reply = cluster.call(id -> RequestBuilder.command(id, 0, 0).build(), DecisionRule.allOutcomes(),
                heard::add).get(60, TimeUnit.SECONDS);
        assertThat(reply.successes()).isEqualTo(25);
        assertThat(reply.quorumStatus()).hasValue(250);
        assertThat(reply.decidedEarly()).isFalse();
        assertThat(heard).hasSize(25);
        assertThat(heard).extracting(RaidaOutcome::raidaId).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 25).boxed().toList());
        for (RaidaOutcome o : reply.outcomes()) {
            assertThat(o.transport()).isEqualTo(Transport.UDP);
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.kind()).isEqualTo(RaidaOutcome.Kind.STATUS);
        }
        ClusterReply version = cluster.version(null).get(60, TimeUnit.SECONDS);
        assertThat(version.successes()).isEqualTo(25);
        assertThat(new String(version.outcome(17).response().payload(), StandardCharsets.US_ASCII)).isEqualTo(VERSION);
        assertThat(cluster.echo().get(60, TimeUnit.SECONDS).successes()).isEqualTo(25);
        assertThat(reply.settled().get(1, TimeUnit.SECONDS)).hasSize(25);
    }

    @Test
    void detectCompletesAsSoonAsDecidedDespiteDeadSlowAndWrongRaida() throws Exception {
        Coin good1 = coin(1, 1_001);
        Coin good2 = coin(5, 2_002);
        Coin stranger = coin(2, 3_003); // the RAIDA hold other ANs: counterfeit
        Set<Integer> dead = Set.of(3);
        Set<Integer> slow = Set.of(8, 9);
        int wrong = 14;
        startNetwork(i -> dead.contains(i) ? EnumSet.of(Trait.DEAD) : slow.contains(i) ? EnumSet.of(Trait.SLOW)
                : i == wrong ? EnumSet.of(Trait.WRONG_AN) : EnumSet.noneOf(Trait.class), List.of(good1, good2));
        for (InMemoryGroup1 s : stores) {
            s.put(stranger.denomination(), stranger.serialNumber(), TransportTestSupport.randomBytes(16));
        }
        RaidaCluster cluster = cluster(options());
        List<Coin> batch = List.of(good1, stranger, good2);

        long t0 = System.nanoTime();
        BatchResult early = CoinAuthenticator.unencrypted(cluster).detect(batch).get(60, TimeUnit.SECONDS);
        long earlyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // decided long before the slow RAIDA could end (3 attempts of 1.5 s)
        assertThat(earlyMillis).isLessThan(3 * ATTEMPT.toMillis());
        assertThat(early.replies()).hasSize(1);
        ClusterReply reply = early.replies().get(0);
        assertThat(reply.decidedEarly()).isTrue();
        assertThat(early.coins()).extracting(CoinResult::grade)
                .containsExactly(Grade.FRACKED, Grade.COUNTERFEIT, Grade.FRACKED);
        for (int r : List.of(3, 8, 9)) {
            assertThat(early.coins().get(0).pown().letter(r)).isEqualTo('n');
        }
        // the slow ones were still running: cancelled (the dead one may have been refused three times already)
        assertThat(reply.outcome(8).kind()).isEqualTo(RaidaOutcome.Kind.CANCELLED);
        assertThat(reply.outcome(9).kind()).isEqualTo(RaidaOutcome.Kind.CANCELLED);
        assertThat(reply.outcome(3).kind()).isIn(RaidaOutcome.Kind.CANCELLED, RaidaOutcome.Kind.REFUSED);
        assertThat(early.coins().get(0).pown().letter(wrong)).isEqualTo('f');
        assertThat(early.coins().get(0).pown().count('p')).isGreaterThanOrEqualTo(13);
        assertThat(early.coins().get(1).pown().count('f')).isGreaterThanOrEqualTo(13);
        assertThat(early.coins().get(1).pown().count('p')).isZero();
        assertThat(early.coins().get(0).coin().ans().get(0)).isEqualTo(good1.an(0)); // detect changes no AN
        assertThat(cluster.inFlight()).isZero();

        // the same batch when every RAIDA must end: exact POWN strings, still well before the deadline
        t0 = System.nanoTime();
        BatchResult full = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false).detect(batch)
                .get(60, TimeUnit.SECONDS);
        long fullMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(fullMillis).isLessThan(options().build().deadline().toMillis() / 2);
        java.util.function.IntPredicate silent = i -> dead.contains(i) || slow.contains(i);
        assertThat(full.coins().get(0).pown().toString()).isEqualTo(letters(silent, i -> i == wrong))
                .isEqualTo("pppnppppnnppppfpppppppppp");
        assertThat(full.coins().get(1).pown().toString()).isEqualTo(letters(silent, i -> true));
        assertThat(full.coins().get(2).pown()).isEqualTo(full.coins().get(0).pown());
        ClusterReply r = full.replies().get(0);
        assertThat(r.outcome(3).kind()).isIn(RaidaOutcome.Kind.REFUSED, RaidaOutcome.Kind.TIMEOUT);
        assertThat(r.outcome(8).kind()).isEqualTo(RaidaOutcome.Kind.TIMEOUT);
        assertThat(r.outcome(8).attempts()).isEqualTo(3);
        assertThat(r.outcome(8).transport()).isEqualTo(Transport.TCP); // UDP timed out, then TCP
        assertThat(r.outcome(14).status()).isEqualTo(242);
        assertThat(r.outcome(0).status()).isEqualTo(243);
    }

    @Test
    void stragglersLeftToFinishAreRecordedAndEndWithinTheDeadline() throws Exception {
        Coin c = coin(1, 7_007);
        Set<Integer> slow = Set.of(8, 9);
        startNetwork(i -> slow.contains(i) ? EnumSet.of(Trait.SLOW) : i == 14 ? EnumSet.of(Trait.WRONG_AN)
                : EnumSet.noneOf(Trait.class), List.of(c));
        RaidaCluster cluster = cluster(options().stragglers(StragglerPolicy.FINISH).maxAttempts(2));
        List<RaidaOutcome> heard = new CopyOnWriteArrayList<>();
        ClusterCall call = ClusterCall.builder((id, mode) -> RequestBuilder.command(id, 1, 10)
                .payload(CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, List.of(c), null, null, 0, 1, id))
                .build())
                .decision(f -> CoinAuthenticator.gradesDecided(f, 1, CoinAuthenticator.Command.DETECT))
                .listener(heard::add).build();
        ClusterReply early = cluster.call(call).get(60, TimeUnit.SECONDS);
        assertThat(early.decidedEarly()).isTrue();
        assertThat(early.outcome(8).kind()).isEqualTo(RaidaOutcome.Kind.PENDING);
        assertThat(early.outcome(9).kind()).isEqualTo(RaidaOutcome.Kind.PENDING);
        assertThat(early.outcome(14).status()).isEqualTo(242);
        assertThat(early.settled()).isNotDone();
        // the slow ones go on (UDP, then TCP) and end as timeouts, long before the 30 s deadline
        List<RaidaOutcome> all = early.settled().get(60, TimeUnit.SECONDS);
        assertThat(all.get(8).kind()).isEqualTo(RaidaOutcome.Kind.TIMEOUT);
        assertThat(all.get(8).attempts()).isEqualTo(2);
        assertThat(all.get(9).transport()).isEqualTo(Transport.TCP);
        assertThat(all.get(9).latency()).isLessThan(Duration.ofSeconds(20));
        assertThat(all.stream().filter(RaidaOutcome::replied).count()).isEqualTo(23);
        assertThat(heard).hasSize(25);
        assertThat(cluster.inFlight()).isZero();
    }

    @Test
    void aQuorumOfEqualStatusesCompletesEarly() throws Exception {
        startNetwork(i -> i < 12 ? EnumSet.of(Trait.SLOW) : EnumSet.noneOf(Trait.class), List.of(coin(1, 1)));
        RaidaCluster cluster = cluster(options());
        // 13 RAIDA answer the detect at once, 12 hold it: 13 equal statuses decide
        ClusterReply r = cluster.call(id -> RequestBuilder.command(id, 1, 10)
                        .payload(CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, List.of(coin(1, 1)), null,
                                null, 0, 1, id)).build(), DecisionRule.sameStatus(13), o -> { })
                .get(60, TimeUnit.SECONDS);
        assertThat(r.decidedEarly()).isTrue();
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(r.countStatus(242)).isEqualTo(13);
        assertThat(r.quorumStatus()).hasValue(242);
        assertThat(r.count(RaidaOutcome.Kind.CANCELLED)).isEqualTo(12);
        assertThat(cluster.inFlight()).isZero();
    }

    @Test
    void raidaWithoutUdpAnswerOverTcp() throws Exception {
        Set<Integer> tcpOnly = Set.of(0, 6, 12, 18, 24);
        startNetwork(i -> tcpOnly.contains(i) ? EnumSet.of(Trait.NO_UDP) : EnumSet.noneOf(Trait.class), List.of());
        RaidaCluster cluster = cluster(options());
        ClusterReply reply = cluster.echo().get(60, TimeUnit.SECONDS);
        assertThat(reply.successes()).isEqualTo(25);
        for (RaidaOutcome o : reply.outcomes()) {
            if (tcpOnly.contains(o.raidaId())) {
                assertThat(o.transport()).as("RAIDA %d", o.raidaId()).isEqualTo(Transport.TCP);
                assertThat(o.attempts()).isEqualTo(2);
            } else {
                assertThat(o.transport()).isEqualTo(Transport.UDP);
                assertThat(o.attempts()).isEqualTo(1);
            }
        }
        // UDP only: those five cannot answer
        RaidaCluster udpOnly = cluster(options().protocol(ProtocolPolicy.UDP_ONLY).maxAttempts(1)
                .attemptTimeout(Duration.ofMillis(500)));
        ClusterReply u = udpOnly.echo().get(60, TimeUnit.SECONDS);
        assertThat(u.successes()).isEqualTo(20);
        assertThat(u.outcome(6).kind()).isIn(RaidaOutcome.Kind.TIMEOUT, RaidaOutcome.Kind.REFUSED);
        RaidaCluster tcp = cluster(options().protocol(ProtocolPolicy.TCP_ONLY));
        ClusterReply t = tcp.echo().get(60, TimeUnit.SECONDS);
        assertThat(t.successes()).isEqualTo(25);
        assertThat(t.outcomes()).allSatisfy(o -> assertThat(o.transport()).isEqualTo(Transport.TCP));
    }

    @Test
    void aRequestAboveTheUdpThresholdGoesTcpAtOnceAndBigBatchesAreSplit() throws Exception {
        List<Coin> coins = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            coins.add(coin(1, 10_000 + i));
        }
        startHealthy(coins);
        RaidaCluster cluster = cluster(options());
        // 80 x 21 + 18 = 1 698 body bytes: above the 1 440-byte UDP threshold
        BatchResult big = CoinAuthenticator.unencrypted(cluster).detect(coins).get(60, TimeUnit.SECONDS);
        assertThat(big.replies()).hasSize(1);
        assertThat(big.replies().get(0).outcomes()).allSatisfy(o -> {
            assertThat(o.transport()).isEqualTo(Transport.TCP);
            assertThat(o.attempts()).isEqualTo(1);
        });
        assertThat(big.coins()).allSatisfy(c -> assertThat(c.grade()).isEqualTo(Grade.AUTHENTIC));

        // a body limit of 500 bytes splits the batch in four requests of 20 coins (438 bytes), each over UDP
        RaidaCluster small = cluster(options().maxBodySize(500));
        BatchResult split = CoinAuthenticator.unencrypted(small).completeWhenDecided(false).detect(coins)
                .get(60, TimeUnit.SECONDS);
        assertThat(split.replies()).hasSize(4);
        assertThat(split.replies()).allSatisfy(r -> assertThat(r.outcomes())
                .allSatisfy(o -> assertThat(o.transport()).isEqualTo(Transport.UDP)));
        assertThat(split.coins()).hasSize(80).allSatisfy(c -> assertThat(c.pown().toString())
                .isEqualTo("p".repeat(25)));
        assertThat(split.coins().get(79).coin().serialNumber()).isEqualTo(10_079);
    }

    @Test
    void anExhaustedDeadlineGivesLimboAndLeavesNothingBehind() throws Exception {
        Set<Thread> before = TransportTestSupport.liveThreads();
        Coin c = coin(1, 42);
        startNetwork(i -> EnumSet.of(Trait.SLOW), List.of(c));
        RaidaCluster cluster = track(RaidaCluster.builder(network).client(client)
                .options(options().deadline(Duration.ofMillis(2_500)).build()).build());
        assertThat(cluster.echo().get(60, TimeUnit.SECONDS).successes()).isEqualTo(25); // client sockets open
        long fdsBefore = openFiles();
        long t0 = System.nanoTime();
        BatchResult r = CoinAuthenticator.unencrypted(cluster).detect(List.of(c)).get(60, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(millis).isBetween(2_400L, 20_000L);
        assertThat(r.coins().get(0).pown().toString()).isEqualTo("n".repeat(25));
        assertThat(r.coins().get(0).grade()).isEqualTo(Grade.LIMBO);
        assertThat(r.replies().get(0).count(RaidaOutcome.Kind.TIMEOUT)).as("%s", r.replies().get(0).outcomes())
                .isEqualTo(25);
        assertThat(cluster.inFlight()).isZero();
        cluster.close();
        release.countDown(); // the servers' blocked handlers finish and close their connections
        awaitFiles(fdsBefore);
        closeAll();
        awaitNoNewThreads(before);
    }

    @Test
    void cancellingTheFutureCancelsTheCallsInFlight() throws Exception {
        Coin c = coin(1, 43);
        startNetwork(i -> EnumSet.of(Trait.SLOW), List.of(c));
        RecordingClient recording = new RecordingClient(client);
        // attempts long enough that none times out (and is retried) while the test waits for all 25
        RaidaCluster cluster = track(RaidaCluster.builder(network).client(recording)
                .options(options().attemptTimeout(Duration.ofSeconds(20)).build()).build());
        List<RaidaOutcome> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<ClusterReply> f = cluster.call(ClusterCall.builder((id, mode) -> RequestBuilder
                .command(id, 1, 10).payload(CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, List.of(c),
                        null, null, 0, 1, id)).build()).listener(heard::add).build());
        int entered = 0;
        for (InMemoryGroup1 s : stores) {
            assertThat(s.entered.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            entered++;
        }
        assertThat(entered).isEqualTo(25);
        assertThat(cluster.inFlight()).isEqualTo(25);
        assertThat(f.cancel(true)).isTrue();
        TransportTestSupport.await("in-flight calls cancelled", 10_000, () -> cluster.inFlight() == 0);
        assertThat(recording.sent).hasSize(25).allSatisfy(s -> assertThat(s.isCancelled()).isTrue());
        assertThat(heard).hasSize(25).allSatisfy(o -> assertThat(o.kind()).isEqualTo(RaidaOutcome.Kind.CANCELLED));
    }

    @Test
    void typeOneCalibrationWithMixedKeystreamsIsLearnedOncePerRaida() throws Exception {
        Coin c = coin(3, 777);
        startNetwork(i -> i % 2 == 0 ? EnumSet.of(Trait.RESTART) : EnumSet.noneOf(Trait.class), List.of(c));
        RaidaCluster cluster = cluster(options());
        KeyCoin key = KeyCoin.type1(keyCoin);

        ClusterReply version = cluster.version(key).get(60, TimeUnit.SECONDS);
        assertThat(version.successes()).isEqualTo(25);
        assertThat(version.outcomes()).allSatisfy(o -> {
            assertThat(new String(o.response().payload(), StandardCharsets.US_ASCII)).isEqualTo(VERSION);
            assertThat(o.attempts()).isEqualTo(1);
        });
        assertThat(cluster.calibrationRequests()).isEqualTo(25);
        for (int i = 0; i < 25; i++) {
            assertThat(cluster.learnedKeystream(i)).hasValue(i % 2 == 0 ? KeystreamMode.RESTART
                    : KeystreamMode.CONTINUE);
        }
        // detect with type 1 (and a mixed bitmap: the second coin is unknown) uses what was learned
        Coin unknown = coin(3, 778);
        BatchResult d = CoinAuthenticator.keyedWith(cluster, key).completeWhenDecided(false)
                .detect(List.of(c, unknown)).get(60, TimeUnit.SECONDS);
        assertThat(d.coins().get(0).pown().toString()).isEqualTo("p".repeat(25));
        assertThat(d.coins().get(1).pown().toString()).isEqualTo("f".repeat(25));
        assertThat(d.replies().get(0).outcomes()).allSatisfy(o -> assertThat(o.status()).isEqualTo(243));
        assertThat(cluster.calibrationRequests()).isEqualTo(25);

        // a reply that stops decrypting makes that RAIDA relearn, once
        cluster.learnKeystream(4, KeystreamMode.CONTINUE);
        ClusterReply again = cluster.version(key).get(60, TimeUnit.SECONDS);
        assertThat(again.successes()).isEqualTo(25);
        assertThat(again.outcome(4).attempts()).isEqualTo(2);
        assertThat(cluster.learnedKeystream(4)).hasValue(KeystreamMode.RESTART);
        assertThat(cluster.calibrationRequests()).isEqualTo(26);

        // type 4 needs no calibration
        BatchResult d4 = CoinAuthenticator.keyedWith(cluster, KeyCoin.type4(keyCoin)).detect(List.of(c))
                .get(60, TimeUnit.SECONDS);
        assertThat(d4.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(cluster.calibrationRequests()).isEqualTo(26);
    }

    @Test
    void pownEndToEndWithCoinFiles(@TempDir Path dir) throws Exception {
        Coin c = coin(1, 5_005);
        startHealthy(List.of(c));
        RaidaCluster cluster = cluster(options());
        Path file = dir.resolve("5005.bin");
        CoinFile.of(c).write(file);

        Coin in = CoinFile.read(file).coin();
        List<byte[]> pans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            pans.add(TransportTestSupport.randomBytes(16));
        }
        BatchResult pown = CoinAuthenticator.keyedWith(cluster, KeyCoin.type4(keyCoin))
                .pown(List.of(in), List.of(pans)).get(60, TimeUnit.SECONDS);
        CoinResult result = pown.coins().get(0);
        assertThat(result.pown().toString()).isEqualTo("ppppppppppppppppppppppppp");
        assertThat(result.grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(result.newAnOn()).hasSize(25);
        CoinFile.of(result.coin()).write(file);

        Coin out = CoinFile.read(file).coin();
        assertThat(out.pown().toString()).isEqualTo("p".repeat(25));
        for (int i = 0; i < 25; i++) {
            assertThat(out.an(i)).isEqualTo(pans.get(i));
            assertThat(stores.get(i).get(1, 5_005)).isEqualTo(pans.get(i));
        }
        // the old ANs no longer pass anywhere
        BatchResult second = CoinAuthenticator.unencrypted(cluster).pown(List.of(c), List.of(pans))
                .get(60, TimeUnit.SECONDS);
        assertThat(second.coins().get(0).pown().toString()).isEqualTo("f".repeat(25));
        assertThat(second.coins().get(0).grade()).isEqualTo(Grade.COUNTERFEIT);
        assertThat(second.coins().get(0).newAnOn()).isEmpty();
        // with the new ones, detect passes
        BatchResult detect = CoinAuthenticator.unencrypted(cluster).detect(List.of(out)).get(60, TimeUnit.SECONDS);
        assertThat(detect.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
    }

    @Test
    void detectSumAndPownSum() throws Exception {
        Coin a = coin(1, 6_001);
        Coin b = coin(1, 6_002);
        startHealthy(List.of(a, b));
        RaidaCluster cluster = cluster(options());
        CoinAuthenticator auth = CoinAuthenticator.keyedWith(cluster, KeyCoin.type1(keyCoin));
        assertThat(auth.completeWhenDecided(false).detectSum(List.of(a, b)).get(60, TimeUnit.SECONDS).coins())
                .allSatisfy(r -> assertThat(r.pown().toString()).isEqualTo("p".repeat(25)));
        List<byte[]> deltas = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            deltas.add(TransportTestSupport.randomBytes(16));
        }
        BatchResult p = auth.pownSum(List.of(a, b), deltas).get(60, TimeUnit.SECONDS);
        assertThat(p.coins()).allSatisfy(r -> assertThat(r.grade()).isEqualTo(Grade.AUTHENTIC));
        Coin a2 = p.coins().get(0).coin();
        for (int i = 0; i < 25; i++) {
            assertThat(stores.get(i).get(1, 6_001)).isEqualTo(a2.an(i));
        }
        // (the XOR of two coins is unchanged when both moved by the same DELTA: ask for one)
        BatchResult stale = auth.detectSum(List.of(a)).get(60, TimeUnit.SECONDS);
        assertThat(stale.coins()).allSatisfy(r -> assertThat(r.grade()).isEqualTo(Grade.COUNTERFEIT));
        // a serial number with no record: 40 on every RAIDA, letter e
        BatchResult none = auth.completeWhenDecided(false).detectSum(List.of(coin(1, 6_999)))
                .get(60, TimeUnit.SECONDS);
        assertThat(none.coins().get(0).pown().toString()).isEqualTo("e".repeat(25));
        assertThat(none.coins().get(0).grade()).isEqualTo(Grade.LIMBO);
        assertThat(none.replies().get(0).quorumStatus()).hasValue(40);
    }

    private static long openFiles() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    private static void awaitFiles(long before) throws InterruptedException {
        if (before < 0) {
            return;
        }
        TransportTestSupport.await("open files back to " + before + " (now " + openFiles() + ")", 10_000,
                () -> openFiles() <= before);
    }

    private static void awaitNoNewThreads(Set<Thread> before) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Thread> left = TransportTestSupport.newThreads(before);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
            left = TransportTestSupport.newThreads(before);
        }
        assertThat(left).as("threads left: %s", TransportTestSupport.names(left)).isEmpty();
    }

    /** Delegates to the real client and keeps every future it returned. */
    static final class RecordingClient implements RaidaClient {
        private final RaidaClient delegate;
        final List<CompletableFuture<RaidaResponse>> sent = Collections.synchronizedList(new ArrayList<>());

        RecordingClient(RaidaClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request,
                                                     Transport transport, Duration timeout) {
            CompletableFuture<RaidaResponse> f = delegate.send(raida, request, transport, timeout);
            sent.add(f);
            return f;
        }

        @Override
        public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport transport,
                                                  Duration timeout) {
            return delegate.exchange(raida, frame, transport, timeout);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    static int random(int n) {
        return ThreadLocalRandom.current().nextInt(n);
    }
}
