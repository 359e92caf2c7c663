package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static io.raida.integrity.TwentyFiveRaida.liveThreads;
import static io.raida.integrity.TwentyFiveRaida.openFiles;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.Crc32;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.cluster.HealingKeys;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.testing.DeadPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fix rounds between real servers: 25 RAIDA on loopback (NIO transport, TCP), each with its own page
 * store and healing handlers; tickets from get_ticket, fix at one RAIDA, its 2/50 legs to the others.
 * Every coin has a different AN on every RAIDA, as in a real network.
 */
@Timeout(120)
class HealingClusterTest {
    private static final int N = 25;
    private static final int DEN = 1;
    private static final long A = 1;
    private static final long B = 2;
    private static final Duration LEG = Duration.ofMillis(1500);
    private static final Duration FIX = Duration.ofSeconds(3);

    private final List<HealingCommands> healings = new ArrayList<>();
    private TwentyFiveRaida net;
    private List<PageStore> stores;
    private List<InetSocketAddress> addresses;
    private RaidaClient client;

    @BeforeEach
    void startCluster() throws IOException {
        net = TwentyFiveRaida.start("nio", 2, id -> TwentyFiveRaida.storeWith(DEN, 1000 + id, 1, 2, 3, 4));
        stores = net.stores;
        addresses = net.addresses;
        client = net.client;
        for (int id = 0; id < N; id++) {
            healings.add(net.track(healing(stores.get(id), addresses).install(net.cores.get(id))));
        }
    }

    private HealingCommands healing(PageStore store, List<InetSocketAddress> peers) {
        return HealingCommands.builder().pageStore(store).peers(peers).client(client).legTimeout(LEG).fixTimeout(FIX)
                .build();
    }

    @AfterEach
    void stopCluster() throws Exception {
        net.close();
    }

    private static byte[] an(PageStore s, long sn) throws IOException {
        byte[] rec = new byte[17];
        assertThat(s.readRecord(DEN, 0, (int) sn, rec, 0)).isTrue();
        return rec;
    }

    private static byte[] coin(long sn) {
        byte[] c = new byte[5];
        c[0] = DEN;
        Bytes.putU32(c, 1, sn);
        return c;
    }

    private RaidaResponse send(InetSocketAddress to, int raida, int code, byte[] payload) throws Exception {
        ClientRequest r = RequestBuilder.command(raida, 2, code).payload(payload).build();
        return client.send(to, r, Transport.TCP, Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
    }

    /** get_ticket at RAIDA {@code raida} with its right AN for each coin (a wrong one for {@code failing}). */
    private long ticket(int raida, long[] coins, long... failing) throws Exception {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (long sn : coins) {
            p.writeBytes(coin(sn));
            byte[] a = Arrays.copyOf(an(stores.get(raida), sn), 16);
            if (Arrays.stream(failing).anyMatch(f -> f == sn)) {
                a[0] ^= 1;
            }
            p.writeBytes(a);
        }
        RaidaResponse r = send(addresses.get(raida), raida, HealingCommands.GET_TICKET, p.toByteArray());
        assertThat(r.status()).isIn(241, 243);
        return Bytes.u32(r.payload(), r.payload().length - 4);
    }

    private long[] tickets(int from, int to, long... coins) throws Exception {
        long[] t = new long[N];
        for (int i = from; i <= to; i++) {
            t[i] = ticket(i, coins);
        }
        return t;
    }

    private static byte[] fixPayload(byte[] pg, long[] tickets, long... coins) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (long sn : coins) {
            p.writeBytes(coin(sn));
        }
        p.writeBytes(pg);
        for (long t : tickets) {
            byte[] b = new byte[4];
            Bytes.putU32(b, 0, t);
            p.writeBytes(b);
        }
        return p.toByteArray();
    }

    private RaidaResponse fix(InetSocketAddress to, int raida, byte[] pg, long[] tickets, long... coins)
            throws Exception {
        return send(to, raida, HealingCommands.FIX, fixPayload(pg, tickets, coins));
    }

    private static byte[] pg(int seed) {
        byte[] pg = new byte[16];
        new java.util.Random(seed).nextBytes(pg);
        return pg;
    }

    /** Changes the AN of coin {@code sn} at RAIDA {@code raida} behind the client's back. */
    private void frack(int raida, long sn) throws IOException {
        byte[] page = new byte[PageStore.PAGE_SIZE];
        stores.get(raida).readPage(DEN, 0, page);
        page[(int) sn * 17] ^= 0x77;
        stores.get(raida).writePage(DEN, 0, page);
    }

    @Test
    void twelveVouchingRaidaFailThirteenSucceed() throws Exception {
        frack(0, A);
        byte[] fracked = an(stores.get(0), A);
        MerkleForest forest = new MerkleForest(stores.get(0), new IntegrityMetrics(), 1);
        forest.rebuild();
        byte[] rootBefore = forest.snapshot().tree(DEN).root();

        RaidaResponse twelve = fix(addresses.get(0), 0, pg(1), tickets(1, 12, A), A);
        assertThat(twelve.status()).isEqualTo(242);
        assertThat(twelve.header().bodySize()).isZero();
        assertThat(an(stores.get(0), A)).as("nothing written").isEqualTo(fracked);
        assertThat(forest.rebuild()).isEmpty();

        long[] thirteen = tickets(1, 13, A);
        RaidaResponse ok = fix(addresses.get(0), 0, pg(2), thirteen, A);
        assertThat(ok.status()).isEqualTo(241);
        assertThat(ok.header().bodySize()).isZero();
        byte[] rec = an(stores.get(0), A);
        assertThat(Arrays.copyOf(rec, 16)).isEqualTo(HealingKeys.newAn(0, DEN, A, pg(2)));
        assertThat(rec[16]).as("MFS set").isNotZero();
        assertThat(forest.rebuild()).as("the Merkle tree saw the page change").containsExactly(DEN);
        assertThat(forest.snapshot().tree(DEN).root()).isNotEqualTo(rootBefore);

        // the same tickets again at RAIDA 0: claimed already (44 at every peer), so no votes
        assertThat(fix(addresses.get(0), 0, pg(3), thirteen, A).status()).isEqualTo(242);
        assertThat(Arrays.copyOf(an(stores.get(0), A), 16)).isEqualTo(HealingKeys.newAn(0, DEN, A, pg(2)));
        // but RAIDA 14 has not claimed them yet: one round of tickets serves fixes at several RAIDA
        assertThat(fix(addresses.get(14), 14, pg(4), thirteen, A).status()).isEqualTo(241);
        assertThat(Arrays.copyOf(an(stores.get(14), A), 16)).isEqualTo(HealingKeys.newAn(14, DEN, A, pg(4)));
        stores.get(0).removeListener(forest);
    }

    @Test
    void mixedFixAnswersABitmapAndIgnoresOwnTicket() throws Exception {
        // A passes on 1..13; B on 1..12 only (13 gets a wrong AN for B); RAIDA 0's own ticket is ignored
        long[] t = tickets(1, 12, A, B);
        t[13] = ticket(13, new long[]{A, B}, B);
        t[0] = ticket(0, new long[]{A, B});
        RaidaResponse r = fix(addresses.get(0), 0, pg(5), t, B, A, B);
        assertThat(r.status()).isEqualTo(243);
        assertThat(r.payload()).containsExactly(0x02);
        assertThat(r.header().bodySize()).isEqualTo(3);
        assertThat(Arrays.copyOf(an(stores.get(0), A), 16)).isEqualTo(HealingKeys.newAn(0, DEN, A, pg(5)));
        assertThat(Arrays.copyOf(an(stores.get(0), B), 16)).isNotEqualTo(HealingKeys.newAn(0, DEN, B, pg(5)));
    }

    @Test
    void oneRaidaListingACoinThirteenTimesIsOneVote() throws Exception {
        // RAIDA 1 answers every 2/50 with coin A listed 13 times (what a reference ticket can carry, D-51)
        byte[] thirteenTimes = new byte[13 * 5];
        for (int i = 0; i < 13; i++) {
            System.arraycopy(coin(A), 0, thirteenTimes, i * 5, 5);
        }
        net.cores.get(1).registry().register(2, 50, req -> CommandResult.success(thirteenTimes.clone()));
        byte[] before = an(stores.get(0), A);
        long[] t = new long[N];
        t[1] = 12345;
        assertThat(fix(addresses.get(0), 0, pg(6), t, A).status()).isEqualTo(242);
        long[] twelve = tickets(2, 12, A);
        twelve[1] = 12345;
        assertThat(fix(addresses.get(0), 0, pg(7), twelve, A).status()).as("12 RAIDA vouch").isEqualTo(242);
        assertThat(an(stores.get(0), A)).isEqualTo(before);
        long[] thirteen = tickets(2, 13, A);
        thirteen[1] = 12345;
        assertThat(fix(addresses.get(0), 0, pg(8), thirteen, A).status()).as("13 RAIDA vouch").isEqualTo(241);
    }

    @Test
    void deadAndSlowPeerCostNoMoreThanTheLegTimeout() throws Exception {
        SilentPeer slow = net.track(new SilentPeer());
        List<InetSocketAddress> peers = new ArrayList<>(addresses);
        peers.set(23, net.track(DeadPort.open()).address());
        peers.set(24, slow.address());
        // a second RAIDA 0 (same data) whose peers 23 and 24 are dead and silent
        InMemoryPageStore store = new InMemoryPageStore();
        byte[] page = new byte[PageStore.PAGE_SIZE];
        stores.get(0).readPage(DEN, 0, page);
        store.writePage(DEN, 0, page);
        ServerCore core = ServerCore.builder().raidaId(0).keyResolver(new PageStoreKeyResolver(store)).build();
        HealingCommands h = healing(store, peers).install(core);
        net.track(h);
        RaidaServer server = net.provider.newServer(core, net.serverOptions).start();
        net.track(server);
        InetSocketAddress fixer = new InetSocketAddress("127.0.0.1", server.port());

        // A: 1..13 vouch; B: 1..12 (RAIDA 13 fails it); 23 (dead) and 24 (silent) would have vouched for both
        long[] t = tickets(1, 12, A, B);
        t[13] = ticket(13, new long[]{A, B}, B);
        t[23] = 0xDEAD;
        t[24] = 0x5EED;
        Set<Thread> threadsBefore = liveThreads();
        long filesBefore = openFiles();
        long start = System.nanoTime();
        RaidaResponse r = fix(fixer, 0, pg(9), t, A, B);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.status()).isEqualTo(243);
        assertThat(r.payload()).containsExactly(0x01);
        assertThat(Arrays.copyOf(an(store, A), 16)).isEqualTo(HealingKeys.newAn(0, DEN, A, pg(9)));
        assertThat(ms).as("waited for the silent peer's leg, not longer than the fix").isBetween(
                LEG.toMillis() - 100, FIX.toMillis() + 5_000);

        // the silent peer got exactly the 55 bytes of healing.md §3, and its connection was closed by us
        assertThat(slow.requests).hasSize(1);
        byte[] req = slow.requests.get(0);
        assertThat(req).hasSize(55);
        assertThat(Arrays.copyOf(req, 8)).containsExactly(0x01, 0x00, 24, 0x00, 0x02, 0x32, 0x00, 0x06);
        assertThat(Arrays.copyOfRange(req, 8, 22)).containsOnly(0);
        assertThat(Arrays.copyOfRange(req, 22, 24)).containsExactly(0x00, 0x17);
        assertThat(Arrays.copyOfRange(req, 24, 30)).containsOnly(0);
        assertThat(Crc32.of(req, 32, 12)).isEqualTo(Bytes.u32(req, 44));
        assertThat(Arrays.copyOfRange(req, 48, 55)).containsExactly(0x00, 0x00, 0x00, 0x5E, 0xED, 0x3E, 0x3E);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((slow.closedByFixer.get() < 1 || openFiles() > filesBefore || !threadsBefore.containsAll(liveThreads()))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(slow.closedByFixer.get()).as("the leg's socket was closed").isEqualTo(1);
        assertThat(openFiles()).as("no socket left behind").isLessThanOrEqualTo(filesBefore);
        Set<Thread> left = liveThreads();
        left.removeAll(threadsBefore);
        assertThat(left).as("no thread left behind").isEmpty();
    }

    @Test
    void onePeerSeesOneConnectionAtATime() throws Exception {
        SilentPeer slow = net.track(new SilentPeer());
        List<InetSocketAddress> peers = new ArrayList<>(addresses);
        peers.set(24, slow.address());
        ServerCore core = ServerCore.builder().raidaId(0).keyResolver(new PageStoreKeyResolver(stores.get(0))).build();
        HealingCommands h = healing(stores.get(0), peers).install(core);
        net.track(h);
        RaidaServer server = net.provider.newServer(core, net.serverOptions).start();
        net.track(server);
        InetSocketAddress fixer = new InetSocketAddress("127.0.0.1", server.port());
        long[] t = new long[N];
        t[24] = 77;
        long othersBefore = net.servers.stream().mapToLong(x -> x.stats().requests()).sum();
        List<CompletableFuture<RaidaResponse>> fixes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ClientRequest r = RequestBuilder.command(0, 2, HealingCommands.FIX).payload(fixPayload(pg(i), t, A)).build();
            fixes.add(client.send(fixer, r, Transport.TCP, Duration.ofSeconds(30)));
        }
        for (CompletableFuture<RaidaResponse> f : fixes) {
            assertThat(f.get(40, TimeUnit.SECONDS).status()).isEqualTo(242);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slow.closedByFixer.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(slow.requests).as("both fixes asked the peer").hasSize(2);
        assertThat(slow.maxOpen.get()).as("one after the other").isEqualTo(1);
        assertThat(slow.closedByFixer.get()).isEqualTo(2);
        assertThat(net.servers.stream().mapToLong(x -> x.stats().requests()).sum())
                .as("RAIDA whose ticket is 0 are not asked").isEqualTo(othersBefore);
    }
}
