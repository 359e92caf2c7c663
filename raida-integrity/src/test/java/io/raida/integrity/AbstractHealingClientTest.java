package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.raida.integrity.TwentyFiveRaida.liveThreads;
import static io.raida.integrity.TwentyFiveRaida.openFiles;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinHealer;
import io.raida.protocol.cluster.FindResult;
import io.raida.protocol.cluster.FixResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.HealListener;
import io.raida.protocol.cluster.HealResult;
import io.raida.protocol.cluster.HealedCoin;
import io.raida.protocol.cluster.GradingPolicy;
import io.raida.protocol.cluster.HealingKeys;
import io.raida.protocol.cluster.KeyCoin;
import io.raida.protocol.cluster.PownString;
import io.raida.protocol.cluster.ProtocolPolicy;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.cluster.RaidaOutcome;
import io.raida.protocol.cluster.TicketBook;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTimeoutException;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.testing.DeadPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of healing ({@link CoinHealer}) against 25 real RAIDA on loopback, each with its
 * own page store, the coin commands of groups 1/8 and the healing commands of group 2 (peers = the
 * other 24). Every coin has a different AN on every RAIDA. Subclasses pick the transport of the
 * servers, the servers' peer client and the client.
 */
@Timeout(180)
abstract class AbstractHealingClientTest {
    static final int N = 25;
    static final int DEN = 1;
    static final Duration LEG = Duration.ofMillis(1500);
    static final Duration SERVER_FIX = LEG.plusMillis(3_500);

    /** The transport provider name ({@code nio} or {@code netty}). */
    abstract String transport();

    /** Closed after the network: what a test creates before {@link #start} (silent peers). */
    private final List<AutoCloseable> beforeStart = new ArrayList<>();
    private TwentyFiveRaida net;
    private List<PageStore> stores;
    private List<InetSocketAddress> addresses;
    private List<RaidaServer> servers;
    private RaidaTransportProvider provider;
    /** The peer-leg timeout of each RAIDA's fix (its whole fix may take 3.5 s more). */
    private java.util.function.IntFunction<Duration> legOf = i -> LEG;

    @AfterEach
    void closeAll() throws Exception {
        if (net != null) {
            net.close();
        }
        for (int i = beforeStart.size() - 1; i >= 0; i--) {
            beforeStart.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T r) {
        return net == null ? addBeforeStart(r) : net.track(r);
    }

    private <T extends AutoCloseable> T addBeforeStart(T r) {
        beforeStart.add(r);
        return r;
    }

    /** 25 RAIDA; RAIDA i's healing peers are {@code peersOf.apply(i)} (default: the 25 addresses). */
    void start(java.util.function.IntFunction<List<InetSocketAddress>> peersOf) throws IOException {
        net = TwentyFiveRaida.start(transport(), 3, id -> TwentyFiveRaida.storeWith(DEN, 1000 + id, 1, 2, 3, 4, 5, 6));
        stores = net.stores;
        addresses = net.addresses;
        servers = net.servers;
        provider = net.provider;
        for (int id = 0; id < N; id++) {
            track(CoinCommands.register(net.cores.get(id), stores.get(id))::close);
            List<InetSocketAddress> peers = peersOf == null ? addresses : peersOf.apply(id);
            HealingCommands h = HealingCommands.builder().pageStore(stores.get(id)).peers(peers).client(net.client)
                    .legTimeout(legOf.apply(id)).fixTimeout(legOf.apply(id).plusMillis(3_500)).build()
                    .install(net.cores.get(id));
            track(h::close);
        }
    }

    RaidaCluster cluster(RaidaClient client) {
        return cluster(client, 65_535);
    }

    RaidaCluster cluster(RaidaClient client, int maxBodySize) {
        ClusterOptions options = ClusterOptions.builder().deadline(Duration.ofSeconds(20))
                .attemptTimeout(Duration.ofSeconds(5)).protocol(ProtocolPolicy.UDP_THEN_TCP)
                .maxBodySize(maxBodySize).build();
        RaidaCluster.Builder b = RaidaCluster.builder(RaidaNetwork.of(addresses)).options(options);
        return track(client == null ? b.transport(provider).build() : b.client(client).build());
    }

    byte[] storedAn(int raida, long sn) throws IOException {
        byte[] rec = new byte[17];
        assertThat(stores.get(raida).readRecord(DEN, 0, (int) sn, rec, 0)).isTrue();
        return Arrays.copyOf(rec, 16);
    }

    /** Sets the AN of coin {@code sn} at RAIDA {@code raida} behind the client's back. */
    void setStoredAn(int raida, long sn, byte[] an) throws IOException {
        byte[] page = new byte[PageStore.PAGE_SIZE];
        stores.get(raida).readPage(DEN, 0, page);
        System.arraycopy(an, 0, page, (int) sn * 17, 16);
        stores.get(raida).writePage(DEN, 0, page);
    }

    void frack(int raida, long sn) throws IOException {
        byte[] an = storedAn(raida, sn);
        an[0] ^= 0x77;
        setStoredAn(raida, sn, an);
    }

    /** The coin as the servers hold it now. */
    Coin coinAsStored(long sn) throws IOException {
        List<byte[]> ans = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            ans.add(storedAn(r, sn));
        }
        return Coin.of(DEN, sn, ans);
    }

    static byte[] random16() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private void assertHoldsStoredAns(Coin c) throws IOException {
        for (int r = 0; r < N; r++) {
            assertThat(c.an(r)).as("AN of RAIDA %d", r).isEqualTo(storedAn(r, c.serialNumber()));
        }
    }

    /** Records the steps of a heal. */
    static final class Steps implements HealListener {
        final List<String> steps = new CopyOnWriteArrayList<>();
        final List<FixResult> fixes = new CopyOnWriteArrayList<>();
        final List<byte[]> pgsBeforeSend = new CopyOnWriteArrayList<>();

        @Override
        public void found(int round, FindResult result) {
            steps.add("find " + round);
        }

        @Override
        public void ticketsTaken(int round, List<TicketBook> books) {
            steps.add("tickets " + round);
        }

        @Override
        public void fixing(int round, int raidaId, List<Coin> coins, byte[] pg) {
            steps.add("fixing " + round + " at " + raidaId);
            pgsBeforeSend.add(pg);
        }

        @Override
        public void fixed(int round, FixResult result) {
            steps.add("fixed " + round + " at " + result.raidaId());
            fixes.add(result);
        }

        @Override
        public void roundEnded(int round, List<HealedCoin> coins) {
            steps.add("round " + round);
        }
    }

    @Test
    void aCoinFrackedOnThreeRaidaIsHealedAndItsFileHoldsTheNewAns(@TempDir Path dir) throws Exception {
        start(null);
        Coin fracked = coinAsStored(1);
        Coin healthy = coinAsStored(2);
        for (int r : new int[] {3, 11, 20}) {
            frack(r, 1);
        }
        RaidaCluster cluster = cluster(null);
        BatchResult detected = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false)
                .detect(List.of(fracked, healthy)).get(30, TimeUnit.SECONDS);
        assertThat(detected.coins().get(0).grade()).isEqualTo(Grade.FRACKED);
        assertThat(detected.coins().get(0).pown().toString()).isEqualTo("pppfpppppppfppppppppfpppp");

        Steps steps = new Steps();
        HealResult result = CoinHealer.unencrypted(cluster).withListener(steps).withFixTimeout(Duration.ofSeconds(30))
                .heal(List.of(detected.coins().get(0).coin(), detected.coins().get(1).coin()));

        assertThat(result.allAuthentic()).isTrue();
        assertThat(result.rounds()).isEqualTo(1);
        HealedCoin healed = result.coins().get(0);
        assertThat(healed.grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(healed.coin().pown().toString()).isEqualTo("p".repeat(25));
        assertThat(healed.fixedOn()).containsExactlyInAnyOrder(3, 11, 20);
        assertThat(healed.pans()).isEmpty();
        assertHoldsStoredAns(healed.coin());
        for (FixResult f : steps.fixes) {
            assertThat(f.fixed()).containsOnly(FixResult.Fixed.YES);
            assertThat(f.coins()).hasSize(1).allMatch(c -> c.serialNumber() == 1);
            assertThat(f.expectedAn(0)).isEqualTo(HealingKeys.newAn(f.raidaId(), DEN, 1, f.pg()));
        }
        assertThat(steps.pgsBeforeSend).hasSize(3);
        assertThat(steps.steps).containsExactlyInAnyOrder("tickets 1", "fixing 1 at 3", "fixing 1 at 11",
                "fixing 1 at 20", "fixed 1 at 3", "fixed 1 at 11", "fixed 1 at 20", "round 1");
        assertThat(steps.steps.get(0)).isEqualTo("tickets 1");
        assertThat(steps.steps.get(steps.steps.size() - 1)).isEqualTo("round 1");
        // the authentic coin was left alone: same ANs, no ticket taken for it
        assertThat(result.coins().get(1).coin()).isEqualTo(detected.coins().get(1).coin());
        assertThat(result.coins().get(1).fixedOn()).isEmpty();

        Path file = dir.resolve("1.bin");
        healed.toCoinFile().write(file);
        Coin reread = CoinFile.read(file).coin();
        assertThat(reread).isEqualTo(healed.coin());
        assertThat(CoinFile.read(file).hasPans()).isFalse();
        BatchResult after = CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false).detect(List.of(reread))
                .get(30, TimeUnit.SECONDS);
        assertThat(after.coins().get(0).pown().toString()).isEqualTo("p".repeat(25));
    }

    @Test
    void aLimboCoinAdoptsPanOrAnPerRaidaAndAThirdAnIsFixed() throws Exception {
        start(null);
        Coin old = coinAsStored(3);
        List<byte[]> pans = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            pans.add(random16());
        }
        RaidaCluster cluster = cluster(null);
        // the pown reached every RAIDA, but its reply was lost: the client knows nothing
        BatchResult pown = CoinAuthenticator.unencrypted(cluster).pown(List.of(old), List.of(pans))
                .get(30, TimeUnit.SECONDS);
        assertThat(pown.coins().get(0).pown().toString()).isEqualTo("p".repeat(25));
        // ... except RAIDA 20..24, which never saw it, and RAIDA 7, which holds a third AN
        for (int r = 20; r < N; r++) {
            setStoredAn(r, 3, old.an(r));
        }
        setStoredAn(7, 3, random16());
        Coin limbo = old.withPown(PownString.of("n".repeat(25)));

        Steps steps = new Steps();
        HealResult result = CoinHealer.unencrypted(cluster).withListener(steps).withFixTimeout(Duration.ofSeconds(30))
                .heal(List.of(limbo), List.of(pans));

        HealedCoin healed = result.coins().get(0);
        assertThat(healed.grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(healed.fixedOn()).containsExactly(7);
        assertThat(healed.pans()).as("every outcome known").isEmpty();
        for (int r = 0; r < N; r++) {
            byte[] expected = r == 7 ? storedAn(7, 3) : r >= 20 ? old.an(r) : pans.get(r);
            assertThat(healed.coin().an(r)).as("AN of RAIDA %d", r).isEqualTo(expected);
        }
        assertHoldsStoredAns(healed.coin());
        assertThat(steps.steps.get(0)).isEqualTo("find 0");
        assertThat(steps.steps).contains("tickets 1", "fixing 1 at 7", "fixed 1 at 7");
        assertThat(steps.steps).doesNotContain("fixing 1 at 0", "find 1");
    }

    @Test
    void aLimboCoinAllOnPanNeedsNoTickets() throws Exception {
        start(null);
        Coin old = coinAsStored(4);
        List<byte[]> pans = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            pans.add(random16());
            setStoredAn(r, 4, pans.get(r));
        }
        Steps steps = new Steps();
        HealResult result = CoinHealer.unencrypted(cluster(null)).withListener(steps)
                .healFiles(List.of(new CoinFile(old.withPown(PownString.of("n".repeat(25))), pans)));
        assertThat(result.rounds()).isZero();
        assertThat(result.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(result.coins().get(0).toCoinFile().hasPans()).isFalse();
        assertHoldsStoredAns(result.coins().get(0).coin());
        assertThat(steps.steps).containsExactly("find 0");
    }

    /** Delegates to a real client, but loses the reply of every fix (2/80) after the RAIDA answered it. */
    static final class LosingFixReplies implements RaidaClient {
        final RaidaClient delegate;
        final List<CompletableFuture<RaidaResponse>> lost = new CopyOnWriteArrayList<>();

        LosingFixReplies(RaidaClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<RaidaResponse> send(InetSocketAddress raida, ClientRequest request, Transport t,
                                                     Duration timeout) {
            CompletableFuture<RaidaResponse> real = delegate.send(raida, request, t, timeout);
            if (request.commandGroup() != 2 || request.commandCode() != 80) {
                return real;
            }
            lost.add(real);
            return real.thenCompose(r -> CompletableFuture.failedFuture(new RaidaTimeoutException(
                    "the reply of the fix was lost (test)")));
        }

        @Override
        public CompletableFuture<byte[]> exchange(InetSocketAddress raida, byte[] frame, Transport t, Duration timeout) {
            return delegate.exchange(raida, frame, t, timeout);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void aLostFixReplyIsResolvedWithFindNeverGuessed() throws Exception {
        start(null);
        Coin coin = coinAsStored(5);
        frack(9, 5);
        LosingFixReplies losing = new LosingFixReplies(
                track(provider.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(20)).build())));
        RaidaCluster cluster = cluster(losing);
        Steps steps = new Steps();
        HealResult result = CoinHealer.unencrypted(cluster).withListener(steps).withFixTimeout(Duration.ofSeconds(30))
                .heal(List.of(coin.withPown(PownString.untried())));

        assertThat(losing.lost).hasSize(1);
        assertThat(losing.lost.get(0).get(10, TimeUnit.SECONDS).status()).as("the RAIDA did fix it").isEqualTo(241);
        assertThat(steps.fixes).hasSize(1);
        assertThat(steps.fixes.get(0).fixed()).containsExactly(FixResult.Fixed.UNKNOWN);
        assertThat(steps.steps).containsSubsequence("tickets 1", "fixing 1 at 9", "fixed 1 at 9", "find 1", "round 1");
        HealedCoin healed = result.coins().get(0);
        assertThat(healed.grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(healed.fixedOn()).containsExactly(9);
        assertThat(healed.coin().an(9)).isEqualTo(storedAn(9, 5))
                .isEqualTo(HealingKeys.newAn(9, DEN, 5, steps.fixes.get(0).pg()));
        assertHoldsStoredAns(healed.coin());
    }

    @Test
    void aListenerThatCannotKeepThePgStopsTheHealBeforeAnyFixIsSent() throws Exception {
        start(null);
        Coin coin = coinAsStored(4);
        frack(8, 4);
        frack(16, 4);
        byte[] at8 = storedAn(8, 4);
        byte[] at16 = storedAn(16, 4);
        List<Integer> told = new CopyOnWriteArrayList<>();
        CoinHealer healer = CoinHealer.unencrypted(cluster(null)).withListener(new HealListener() {
            @Override
            public void fixing(int round, int raidaId, List<Coin> coins, byte[] pg) {
                told.add(raidaId);
                if (raidaId == 16) {
                    throw new IllegalStateException("disk full: cannot keep the PG");
                }
            }
        });
        assertThatThrownBy(() -> healer.heal(List.of(coin))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disk full");
        assertThat(told).containsExactly(8, 16);
        assertThat(storedAn(8, 4)).as("no fix was sent").isEqualTo(at8);
        assertThat(storedAn(16, 4)).isEqualTo(at16);
    }

    @Test
    void aFixStillRunningWhenTheClientGaveUpKeepsItsExpectedAnForTheNextHeal() throws Exception {
        SilentPeer slow = track(new SilentPeer());
        legOf = i -> i == 0 ? Duration.ofSeconds(4) : LEG;
        // RAIDA 0's fix waits 4 s on a silent RAIDA 24 before it applies; the client waits 300 ms
        start(id -> {
            if (id != 0) {
                return addresses;
            }
            List<InetSocketAddress> p = new ArrayList<>(addresses);
            p.set(24, slow.address());
            return p;
        });
        Coin coin = coinAsStored(3);
        frack(0, 3);
        byte[] fracked = storedAn(0, 3);
        RaidaCluster cluster = cluster(null);
        Steps steps = new Steps();
        HealResult first = CoinHealer.unencrypted(cluster).withListener(steps).withFixTimeout(Duration.ofMillis(300))
                .heal(List.of(coin));
        HealedCoin h = first.coins().get(0);
        assertThat(steps.fixes).hasSize(1);
        assertThat(steps.fixes.get(0).fixed()).containsExactly(FixResult.Fixed.UNKNOWN);
        assertThat(steps.fixes.get(0).outcome().kind()).isEqualTo(RaidaOutcome.Kind.TIMEOUT);
        byte[] expected = steps.fixes.get(0).expectedAn(0);
        assertThat(steps.steps).as("find asked, no second PG sent to RAIDA 0").containsExactly("tickets 1",
                "fixing 1 at 0", "fixed 1 at 0", "find 1", "round 1");
        // find came before RAIDA 0 applied the fix: neither, so the expected AN is kept as a PAN, not dropped
        assertThat(h.grade()).isEqualTo(Grade.FRACKED);
        assertThat(h.coin().pown().letter(0)).isEqualTo('f');
        assertThat(h.coin().an(0)).isEqualTo(coin.an(0));
        assertThat(h.pans()).hasSize(25);
        assertThat(h.pans().get(0)).isEqualTo(expected);
        assertThat(h.pans().get(1)).isEqualTo(coin.an(1));
        assertThat(h.toCoinFile().hasPans()).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Arrays.equals(storedAn(0, 3), fracked) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(storedAn(0, 3)).as("RAIDA 0 applied the fix after the client gave up").isEqualTo(expected);
        Steps again = new Steps();
        HealResult second = CoinHealer.unencrypted(cluster).withListener(again).healFiles(List.of(h.toCoinFile()));
        assertThat(second.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(second.coins().get(0).pans()).isEmpty();
        assertThat(second.rounds()).isZero();
        assertThat(again.steps).containsExactly("find 0");
        assertHoldsStoredAns(second.coins().get(0).coin());
    }

    @Test
    void ticketsAreNeverSentTwiceToOneRaida() throws Exception {
        start(null);
        Coin coin = coinAsStored(6);
        frack(2, 6);
        frack(4, 6);
        CoinHealer healer = CoinHealer.unencrypted(cluster(null)).withFixTimeout(Duration.ofSeconds(30));
        List<TicketBook> books = healer.getTickets(List.of(coin)).get(30, TimeUnit.SECONDS);
        assertThat(books).hasSize(1);
        TicketBook book = books.get(0);
        assertThat(book.coins().get(0).pown().toString()).isEqualTo("ppfpfpppppppppppppppppppp");
        assertThat(book.ticket(2)).isZero();
        assertThat(book.ticket(0)).isNotZero();
        assertThat(book.coinsCoveredBy(0)).containsExactly(0);
        assertThat(book.vouchers(0, 2)).isEqualTo(23);
        FixResult at2 = healer.fix(2, List.of(coin), book, random16()).get(30, TimeUnit.SECONDS);
        assertThat(at2.fixed()).containsExactly(FixResult.Fixed.YES);
        assertThat(at2.outcome().status()).isEqualTo(241);
        assertThat(storedAn(2, 6)).isEqualTo(at2.expectedAn(0));
        assertThat(book.usedAt(2)).isTrue();
        assertThatThrownBy(() -> healer.fix(2, List.of(coin), book, random16()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("get new tickets");
        // the same book still serves a fix at another RAIDA (healing.md §2, 2/50)
        assertThat(healer.fix(4, List.of(coin), book, random16()).get(30, TimeUnit.SECONDS).fixed())
                .containsExactly(FixResult.Fixed.YES);
    }

    @Test
    void batchesAreSplitWithinTheBodyLimitAndEachTicketSetFixesOncePerRaida() throws Exception {
        start(null);
        List<Coin> coins = new ArrayList<>();
        List<List<byte[]>> pans = new ArrayList<>();
        for (long sn = 1; sn <= 6; sn++) {
            coins.add(coinAsStored(sn));
            frack((int) sn, sn);        // coin sn fracked at RAIDA sn
            frack(24, sn);              // and every coin at RAIDA 24
            pans.add(sn == 6 ? coinAsStored(6).ans() : null);  // coin 6 in limbo, its PANs = what the RAIDA hold
        }
        List<Coin> limboFirst = new ArrayList<>(coins);
        limboFirst.set(5, coins.get(5).withPown(PownString.of("n".repeat(25))));
        // 3 coins per get_ticket (18 + 3 x 21 = 81 bytes), 1 per find
        RaidaCluster cluster = cluster(null, 81);
        Steps steps = new Steps();
        List<Integer> bookSizes = new CopyOnWriteArrayList<>();
        HealResult result = CoinHealer.unencrypted(cluster).withFixTimeout(Duration.ofSeconds(30))
                .withListener(new HealListener() {
                    @Override
                    public void ticketsTaken(int round, List<TicketBook> books) {
                        books.forEach(b -> bookSizes.add(b.coins().size()));
                    }

                    @Override
                    public void fixing(int round, int raidaId, List<Coin> c, byte[] pg) {
                        steps.fixing(round, raidaId, c, pg);
                    }
                }).heal(limboFirst, pans);
        assertThat(result.rounds()).isEqualTo(1);
        // coin 6 left limbo by find alone: all 25 hold its PANs, it needs nothing more
        assertThat(bookSizes).containsExactly(3, 2);
        // per ticket set: RAIDA 24 once (its coins), and each coin's own RAIDA once
        assertThat(steps.steps).containsExactlyInAnyOrder("fixing 1 at 24", "fixing 1 at 24", "fixing 1 at 1",
                "fixing 1 at 2", "fixing 1 at 3", "fixing 1 at 4", "fixing 1 at 5");
        for (int i = 0; i < 6; i++) {
            HealedCoin h = result.coins().get(i);
            assertThat(h.grade()).as("coin %d", i + 1).isEqualTo(Grade.AUTHENTIC);
            assertHoldsStoredAns(h.coin());
            if (i < 5) {
                assertThat(h.fixedOn()).containsExactlyInAnyOrder(i + 1, 24);
            }
        }
    }

    @Test
    void keyedHealsWithTypeOneAndTypeFour() throws Exception {
        start(null);
        Coin key = coinAsStored(6);
        Coin one = coinAsStored(1);
        Coin two = coinAsStored(2);
        frack(5, 1);
        frack(17, 2);
        RaidaCluster cluster = cluster(null);
        HealResult r1 = CoinHealer.keyedWith(cluster, KeyCoin.type1(key)).withFixTimeout(Duration.ofSeconds(30))
                .heal(List.of(one));
        assertThat(r1.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(r1.coins().get(0).fixedOn()).containsExactly(5);
        assertHoldsStoredAns(r1.coins().get(0).coin());
        assertThat(cluster.learnedKeystream(5)).isPresent();
        HealResult r4 = CoinHealer.keyedWith(cluster, KeyCoin.type4(key)).withFixTimeout(Duration.ofSeconds(30))
                .heal(List.of(two));
        assertThat(r4.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(r4.coins().get(0).fixedOn()).containsExactly(17);
        assertHoldsStoredAns(r4.coins().get(0).coin());
    }

    @Test
    void theGradingPolicyDecidesWhatNeedsHealing() throws Exception {
        start(null);
        Coin coin = coinAsStored(3);
        servers.get(12).close();
        RaidaCluster cluster = cluster(null);
        // auth.md §3: 24 passes and one RAIDA silent is authentic; nothing to fix
        Steps standard = new Steps();
        HealResult r = CoinHealer.unencrypted(cluster).withListener(standard).heal(List.of(coin));
        assertThat(r.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(r.coins().get(0).coin().pown().letter(12)).isEqualTo('n');
        assertThat(standard.steps).containsExactly("tickets 1", "round 1");
        // a policy that wants every RAIDA to answer tries the silent one, once, and reports it fracked
        Steps strict = new Steps();
        HealResult s = CoinHealer.unencrypted(cluster).withListener(strict).withFixTimeout(Duration.ofSeconds(5))
                .withPolicy(new GradingPolicy(25, true)).heal(List.of(coin));
        assertThat(s.coins().get(0).grade()).isEqualTo(Grade.FRACKED);
        assertThat(s.rounds()).isEqualTo(1);
        assertThat(strict.steps).containsExactly("tickets 1", "fixing 1 at 12", "fixed 1 at 12", "round 1");
        assertThat(strict.fixes.get(0).fixed()).containsExactly(FixResult.Fixed.NO);
        assertThat(strict.fixes.get(0).outcome().kind()).isEqualTo(RaidaOutcome.Kind.REFUSED);
        assertThat(s.coins().get(0).coin()).isEqualTo(r.coins().get(0).coin());
    }

    @Test
    void aDeadAndASlowPeerDuringFixCostNoMoreThanTheTimeoutsAndLeaveNothingBehind() throws Exception {
        SilentPeer slow = track(new SilentPeer());
        InetSocketAddress dead = track(DeadPort.open()).address();
        // RAIDA 0 sees RAIDA 23 dead and RAIDA 24 silent; the client reaches both fine
        start(id -> {
            if (id != 0) {
                return addresses;
            }
            List<InetSocketAddress> p = new ArrayList<>(addresses);
            p.set(23, dead);
            p.set(24, slow.address());
            return p;
        });
        // warm up every thread pool the servers and their peer client start lazily: one heal at RAIDA 1
        Coin warmCoin = coinAsStored(2);
        frack(1, 2);
        try (RaidaCluster warm = RaidaCluster.builder(RaidaNetwork.of(addresses)).transport(provider)
                .options(ClusterOptions.builder().deadline(Duration.ofSeconds(20)).build()).build()) {
            assertThat(CoinHealer.unencrypted(warm).heal(List.of(warmCoin)).coins().get(0).fixedOn())
                    .containsExactly(1);
        }
        Coin coin = coinAsStored(1);
        frack(0, 1);
        Set<Thread> threadsBefore = liveThreads();
        long filesBefore = openFiles();

        Duration clientFixTimeout = Duration.ofSeconds(30);
        Steps steps = new Steps();
        long start = System.nanoTime();
        HealResult result;
        try (RaidaCluster cluster = RaidaCluster.builder(RaidaNetwork.of(addresses)).transport(provider)
                .options(ClusterOptions.builder().deadline(Duration.ofSeconds(20)).build()).build()) {
            result = CoinHealer.unencrypted(cluster).withListener(steps).withFixTimeout(clientFixTimeout)
                    .heal(List.of(coin));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.coins().get(0).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(result.coins().get(0).fixedOn()).containsExactly(0);
        assertHoldsStoredAns(result.coins().get(0).coin());
        FixResult fix = steps.fixes.get(0);
        assertThat(fix.outcome().latency().toMillis()).as("the fix waited for the silent peer's leg, no longer")
                .isBetween(LEG.toMillis() - 100, SERVER_FIX.toMillis() + 5_000);
        assertThat(ms).isLessThan(clientFixTimeout.toMillis());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((openFiles() > filesBefore || !threadsBefore.containsAll(liveThreads()))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openFiles()).as("no socket left behind").isLessThanOrEqualTo(filesBefore);
        Set<Thread> left = liveThreads();
        left.removeAll(threadsBefore);
        assertThat(left).as("no thread left behind").isEmpty();
    }
}
