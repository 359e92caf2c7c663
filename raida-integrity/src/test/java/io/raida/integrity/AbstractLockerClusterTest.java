package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandHandler;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.CommandRegistry;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.KeyCoin;
import io.raida.protocol.cluster.LockerClient;
import io.raida.protocol.cluster.LockerCoin;
import io.raida.protocol.cluster.LockerKey;
import io.raida.protocol.cluster.LockerPeek;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.cluster.RaidaOutcome;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sending coins through lockers over 25 RAIDA on real loopback sockets (UDP and TCP): each RAIDA a
 * server of the transport under test with a {@link FilePageStore} in its own temporary directory,
 * the coin commands (groups 1 and 8) and the healing commands (find), and the client side
 * ({@link LockerClient}, {@link CoinAuthenticator}) over a {@link RaidaCluster}. Every coin has a
 * different AN on every RAIDA, as in a real network. Subclasses name the transport.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
public abstract class AbstractLockerClusterTest {
    private static final int N = RaidaNetwork.SIZE;
    private static final int DEN = 1;
    private static final int KEY_DEN = 0;
    private static final long KEY_SN = 7;
    private static final String CODE = "ABC-1234";
    private static final long WAIT = 90;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The transport provider name ("nio" or "netty"). */
    protected abstract String transport();

    @TempDir
    Path dir;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<Node> nodes = new ArrayList<>();
    /** Released at the end of each test: handlers that "lose" their reply wait for it. */
    private final CountDownLatch release = new CountDownLatch(1);
    private RaidaTransportProvider provider;
    private RaidaClient client;
    private RaidaCluster cluster;
    /** Coins 1/101, 1/102, 1/103 as the sender holds them: a random AN per RAIDA, issued on all 25. */
    private List<Coin> coins;
    /** A coin every RAIDA knows, to key type 1 and type 4 requests. */
    private Coin keyCoin;

    /** One RAIDA: its store, handlers and server. */
    private record Node(FilePageStore store, CoinCommands coins, HealingCommands healing, ServerCore core,
                       RaidaServer server) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            server.close();
            healing.close();
            coins.close();
            store.close();
        }
    }

    @BeforeEach
    void startNetwork() throws IOException {
        provider = RaidaTransportProvider.named(transport());
        client = provider.newClient(ClientOptions.builder().timeout(Duration.ofSeconds(10)).build());
        coins = List.of(randomCoin(DEN, 101), randomCoin(DEN, 102), randomCoin(DEN, 103));
        keyCoin = randomCoin(KEY_DEN, KEY_SN);
        for (int i = 0; i < N; i++) {
            FilePageStore s = FilePageStore.open(raidaDir(i));
            byte[] page = TestPages.issued(i, 1, 2, 3);   // other coins, untouched by the tests
            for (Coin c : coins) {
                put(page, c, i);
            }
            s.writePage(DEN, 0, page);
            byte[] keyPage = TestPages.unissued(100 + i);
            put(keyPage, keyCoin, i);
            s.writePage(KEY_DEN, 0, keyPage);
            s.close();
        }
        startServers();
    }

    private Path raidaDir(int i) throws IOException {
        return Files.createDirectories(dir.resolve(String.format("raida-%02d", i)));
    }

    private static void put(byte[] page, Coin c, int raida) {
        int r = (int) (c.serialNumber() % 1024);
        System.arraycopy(c.an(raida), 0, page, r * PageStore.RECORD_SIZE, 16);
        page[r * PageStore.RECORD_SIZE + 16] = 33;
    }

    private static Coin randomCoin(int den, long sn) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            byte[] an = new byte[16];
            RANDOM.nextBytes(an);
            ans.add(an);
        }
        return Coin.of(den, sn, ans);
    }

    /** Opens the 25 stores on their directories (new instances) and starts a server on each. */
    private void startServers() throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            FilePageStore store = FilePageStore.open(raidaDir(i));
            CoinCommands cc = CoinCommands.open(store);
            ServerCore core = ServerCore.builder().raidaId(i).coinId(6)
                    .keyResolver(new PageStoreKeyResolver(store, cc.lockerKeys())).build();
            cc.install(core);
            HealingCommands h = HealingCommands.register(core, store, List.of(), null);
            RaidaServer server = provider.newServer(core, ServerOptions.builder().host("127.0.0.1").port(0)
                    .workerPools(w -> w.workerThreads(2)).timeouts(t -> t.shutdownTimeout(Duration.ofSeconds(2)))
                    // a reply the tests withhold must stay lost ('n'), not become the deadline's 254 ('e')
                    .timeouts(t -> t.tcpDeadline(Duration.ofMinutes(2)).udpDeadline(Duration.ofMinutes(2))).build());
            nodes.add(new Node(store, cc, h, core, server));
            server.start();
            addresses.add(new InetSocketAddress("127.0.0.1", server.port()));
        }
        cluster = RaidaCluster.builder(RaidaNetwork.of(addresses)).client(client).options(ClusterOptions.builder()
                .attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(45)).build()).build();
    }

    /** Closes every server and store: nothing of the RAIDA survives but their directories. */
    private void stopServers() throws IOException {
        cluster.close();
        for (Node n : nodes) {
            n.close();
        }
        nodes.clear();
    }

    @AfterEach
    void stopNetwork() throws Exception {
        release.countDown();
        stopServers();
        client.close();
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private LockerClient lockers() {
        return LockerClient.unencrypted(cluster);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private static List<Coin> coinsOf(BatchResult r) {
        return r.coins().stream().map(CoinResult::coin).toList();
    }

    private static void assertAll(BatchResult r, String pown, Grade grade) {
        for (CoinResult c : r.coins()) {
            assertThat(c.pown().toString()).as("POWN of %s", c.coin()).isEqualTo(pown);
            assertThat(c.grade()).as("grade of %s", c.coin()).isEqualTo(grade);
        }
    }

    private static final String ALL_P = "p".repeat(N);
    private static final String ALL_F = "f".repeat(N);

    private BatchResult detect(List<Coin> held) throws Exception {
        return get(CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false).detect(held));
    }

    /** The sender's put of the three coins into {@link #CODE}: every RAIDA takes them. */
    private BatchResult putAll() throws Exception {
        BatchResult put = get(lockers().put(CODE, coins));
        assertAll(put, ALL_P, Grade.AUTHENTIC);
        for (CoinResult c : put.coins()) {
            for (int i = 0; i < N; i++) {
                assertThat(c.coin().an(i)).as("the sender now holds the locker key").isEqualTo(
                        LockerKey.fromTransmitCode(CODE, i).bytes());
            }
            assertThat(c.newAnOn()).hasSize(N);
        }
        return put;
    }

    private static List<LockerCoin> ids(List<Coin> cs) {
        return cs.stream().map(LockerCoin::of).toList();
    }

    private static void assertTookPans(BatchResult r, List<CoinFile> prepared) {
        for (int k = 0; k < prepared.size(); k++) {
            Coin got = r.coins().get(k).coin();
            for (int i = 0; i < N; i++) {
                assertThat(got.an(i)).as("coin %d RAIDA %d holds its new AN", k, i)
                        .isEqualTo(prepared.get(k).pans().get(i));
            }
        }
    }

    @Test
    void putPeekRemoveThenTheNewCoinsAreAuthenticAndTheOldOnesCounterfeit() throws Exception {
        putAll();
        LockerPeek peek = get(lockers().peek(CODE));
        for (int i = 0; i < N; i++) {
            assertThat(peek.listing(i)).as("RAIDA %d lists the locker", i).hasValue(ids(coins));
        }
        assertThat(peek.coins()).containsExactlyElementsOf(ids(coins));

        List<CoinFile> prepared = LockerClient.prepareRemove(CODE, peek.coins());
        Path kept = Files.createDirectories(dir.resolve("receiver"));
        for (CoinFile f : prepared) {       // written before the remove is sent
            f.write(kept.resolve(f.coin().serialNumber() + ".bin"));
        }
        BatchResult removed = get(lockers().remove(CODE, prepared));
        assertAll(removed, ALL_P, Grade.AUTHENTIC);
        assertTookPans(removed, prepared);
        for (RaidaOutcome o : removed.replies().get(0).outcomes()) {
            // D-58: the reference's ⌊n/8⌋ + 1 bitmap bytes also on 241
            assertThat(o.status()).isEqualTo(241);
            assertThat(o.response().payload()).containsExactly(0x07);
        }

        BatchResult fresh = detect(coinsOf(removed));
        assertAll(fresh, ALL_P, Grade.AUTHENTIC);
        assertAll(detect(coins), ALL_F, Grade.COUNTERFEIT);
        assertAll(get(lockers().put(CODE, List.of(coins.get(0)))), ALL_F, Grade.COUNTERFEIT); // nor can they be sent

        LockerPeek empty = get(lockers().peek(CODE));
        assertThat(empty.coins()).isEmpty();
        for (int i = 0; i < N; i++) {
            assertThat(empty.listing(i)).as("RAIDA %d: empty locker (242)", i).hasValue(List.of());
        }
        for (CoinFile f : prepared) {
            assertThat(CoinFile.read(kept.resolve(f.coin().serialNumber() + ".bin"))).isEqualTo(f);
        }
    }

    @Test
    void theLockerSurvivesARestartOfAllTwentyFive() throws Exception {
        putAll();
        stopServers();
        startServers();     // new store instances on the same directories, new ports
        LockerPeek peek = get(lockers().peek(CODE));
        for (int i = 0; i < N; i++) {
            assertThat(peek.listing(i)).as("RAIDA %d after the restart", i).hasValue(ids(coins));
        }
        List<CoinFile> prepared = LockerClient.prepareRemove(CODE, peek.coins());
        BatchResult removed = get(lockers().remove(CODE, prepared));
        assertAll(removed, ALL_P, Grade.AUTHENTIC);
        assertAll(detect(coinsOf(removed)), ALL_P, Grade.AUTHENTIC);
    }

    @Test
    void afterTheReceiverRemovedOrPownedTheCoinsTheSendersRemoveChangesNothing() throws Exception {
        BatchResult put = putAll();
        // the receiver removes coins 101 and 102, and powns 103 out of the locker (the key is its AN)
        List<CoinFile> receiver = LockerClient.prepareRemove(CODE, ids(coins.subList(0, 2)));
        BatchResult removed = get(lockers().remove(CODE, receiver));
        assertAll(removed, ALL_P, Grade.AUTHENTIC);
        BatchResult powned = get(CoinAuthenticator.unencrypted(cluster).pown(List.of(put.coins().get(2).coin()),
                List.of(randomCoin(DEN, 1).ans())));
        assertAll(powned, ALL_P, Grade.AUTHENTIC);
        assertThat(get(lockers().peek(CODE)).coins()).as("powned and removed coins left the locker").isEmpty();

        // the sender still knows the code and tries to take the coins back
        BatchResult clawBack = get(lockers().remove(CODE, LockerClient.prepareRemove(CODE, ids(coins))));
        assertAll(clawBack, ALL_F, Grade.COUNTERFEIT);
        for (RaidaOutcome o : clawBack.replies().get(0).outcomes()) {
            assertThat(o.status()).as("locker unknown").isEqualTo(242);
            assertThat(o.response().header().bodySize()).as("no body").isZero();
        }
        List<Coin> received = new ArrayList<>(coinsOf(removed));
        received.addAll(coinsOf(powned));
        assertAll(detect(received), ALL_P, Grade.AUTHENTIC);
    }

    @Test
    void aWrongAnOnTwoRaidaLeavesEveryCoinOfThePutFrackedThere() throws Exception {
        // the sender holds a wrong AN for coin 101 on RAIDA 5 and 6: the whole put fails there
        List<byte[]> ans = coins.get(0).ans();
        ans.set(5, randomCoin(DEN, 1).an(5));
        ans.set(6, randomCoin(DEN, 1).an(6));
        List<Coin> held = List.of(coins.get(0).withAns(ans), coins.get(1), coins.get(2));
        String frackedAt5And6 = "ppppp" + "ff" + "p".repeat(N - 7);
        BatchResult put = get(lockers().put(CODE, held));
        assertAll(put, frackedAt5And6, Grade.FRACKED);
        for (CoinResult c : put.coins()) {
            assertThat(LockerClient.inLocker(CODE, c.coin())).hasSize(N - 2).doesNotContain(5, 6);
        }
        LockerPeek peek = get(lockers().peek(CODE));
        assertThat(peek.coins()).as("a quorum lists them").containsExactlyElementsOf(ids(coins));
        assertThat(peek.listing(5)).hasValue(List.of());
        assertThat(peek.listedBy(LockerCoin.of(coins.get(1)))).isEqualTo(N - 2);

        List<CoinFile> prepared = LockerClient.prepareRemove(CODE, peek.coins());
        BatchResult removed = get(lockers().remove(CODE, prepared));
        assertAll(removed, frackedAt5And6, Grade.FRACKED);
        // find confirms: on 5 and 6 the coins hold neither the locker key nor the new AN
        BatchResult recovered = get(lockers().recover(LockerClient.keep(removed, prepared)));
        assertAll(recovered, frackedAt5And6, Grade.FRACKED);
        assertAll(detect(coinsOf(removed)), frackedAt5And6, Grade.FRACKED);
    }

    @Test
    void aPutListingOneCoinTwiceMovesNothing() throws Exception {
        List<Coin> twice = List.of(coins.get(0), coins.get(1), coins.get(0));
        long before = requests();
        assertThatThrownBy(() -> lockers().put(CODE, twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
        assertThat(requests()).as("the client sent nothing").isEqualTo(before);

        // the same put built by hand reaches every RAIDA, which refuses it (198) before any change
        ClusterReply raw = get(cluster.call(id -> {
            byte[] p = new byte[3 * 5 + 32];
            byte[] su = new byte[16];
            for (int k = 0; k < 3; k++) {
                Coin c = twice.get(k);
                p[k * 5] = (byte) c.denomination();
                Bytes.putU32(p, k * 5 + 1, c.serialNumber());
                for (int b = 0; b < 16; b++) {
                    su[b] ^= c.an(id)[b];
                }
            }
            System.arraycopy(su, 0, p, 15, 16);
            LockerKey.fromTransmitCode(CODE, id).copyTo(p, 31);
            return RequestBuilder.command(id, 8, 82).payload(p).build();
        }));
        assertThat(raw.countStatus(198)).isEqualTo(N);
        assertAll(detect(coins), ALL_P, Grade.AUTHENTIC);
        assertThat(get(lockers().peek(CODE)).coins()).isEmpty();
    }

    private long requests() {
        return nodes.stream().mapToLong(n -> n.server().stats().requests()).sum();
    }

    /**
     * On RAIDA {@code raidas}, the handler of {@code group/code} applies each request and then holds
     * its reply until the test ends: the client never hears from them (its retries neither).
     */
    private void loseRepliesOf(int group, int code, int... raidas) {
        for (int id : raidas) {
            CommandRegistry reg = nodes.get(id).core().registry();
            CommandHandler applied = reg.lookup(group, code).handler();
            reg.register(group, code, req -> {
                CommandResult r = applied.handle(req);
                release.await(WAIT * 2, TimeUnit.SECONDS);
                return r;
            });
        }
    }

    private static final int[] LOST = {3, 11, 19};

    private static String lettersWith(char lost, char rest) {
        char[] c = new char[N];
        Arrays.fill(c, rest);
        for (int i : LOST) {
            c[i] = lost;
        }
        return new String(c);
    }

    private RaidaCluster shortCluster() {
        RaidaCluster c = RaidaCluster.builder(cluster.network()).client(client).options(ClusterOptions.builder()
                .attemptTimeout(Duration.ofSeconds(3)).deadline(Duration.ofSeconds(10)).build()).build();
        resources.push(c);
        return c;
    }

    @Test
    void anInterruptedRemoveIsRecoveredByFindAndTheKeptNewAns() throws Exception {
        putAll();
        List<CoinFile> prepared = LockerClient.prepareRemove(CODE, ids(coins));
        Path kept = Files.createDirectories(dir.resolve("kept"));
        for (CoinFile f : prepared) {
            f.write(kept.resolve(f.coin().serialNumber() + ".bin"));
        }
        loseRepliesOf(8, 84, LOST);
        BatchResult removed = get(LockerClient.unencrypted(shortCluster()).remove(CODE, prepared));
        release.countDown();    // the held replies go nowhere now; the RAIDA serve other commands again
        assertAll(removed, lettersWith('n', 'p'), Grade.AUTHENTIC);
        for (CoinResult c : removed.coins()) {
            assertThat(c.newAnOn()).hasSize(N - LOST.length);
        }
        // the coins as the result left them are fracked: on the silent RAIDA we still hold the locker key
        assertAll(detect(coinsOf(removed)), lettersWith('f', 'p'), Grade.FRACKED);

        // after a crash only the kept files are left: find with AN = locker key, PAN = new AN settles all 25
        List<CoinFile> fromDisk = new ArrayList<>();
        for (CoinFile f : prepared) {
            fromDisk.add(CoinFile.read(kept.resolve(f.coin().serialNumber() + ".bin")));
        }
        BatchResult recovered = get(lockers().recover(fromDisk));
        assertAll(recovered, ALL_P, Grade.AUTHENTIC);
        assertTookPans(recovered, prepared);
        assertAll(detect(coinsOf(recovered)), ALL_P, Grade.AUTHENTIC);

        // the same from the files kept after the remove: the RAIDA that answered p stay p
        BatchResult again = get(lockers().recover(LockerClient.keep(removed, prepared)));
        assertAll(again, ALL_P, Grade.AUTHENTIC);
        assertTookPans(again, prepared);
        for (CoinResult c : again.coins()) {
            assertThat(c.newAnOn()).as("only the silent RAIDA change the held AN").containsExactly(3, 11, 19);
        }
    }

    @Test
    void anInterruptedPutIsRecoveredByFindAndTheKeptLockerKeys() throws Exception {
        List<CoinFile> prepared = LockerClient.preparePut(CODE, coins);
        loseRepliesOf(8, 82, LOST);
        BatchResult put = get(LockerClient.unencrypted(shortCluster()).put(CODE, coins));
        release.countDown();
        assertAll(put, lettersWith('n', 'p'), Grade.AUTHENTIC);
        BatchResult recovered = get(lockers().recover(LockerClient.keep(put, prepared)));
        assertAll(recovered, ALL_P, Grade.AUTHENTIC);
        assertTookPans(recovered, prepared);     // the locker keys, on all 25
        // putting the coins again as they now stand is harmless: every RAIDA answers 241, nothing changes
        assertAll(get(lockers().put(CODE, coinsOf(recovered))), ALL_P, Grade.AUTHENTIC);
        LockerPeek peek = get(lockers().peek(CODE));
        for (int i = 0; i < N; i++) {
            assertThat(peek.listing(i)).hasValue(ids(coins));
        }
    }

    @Test
    void theTransmitCodeIsTrimmedButItsCaseIsKept() throws Exception {
        putAll();
        assertThat(get(lockers().peek("  " + CODE + "\t\n")).coins()).as("outer white space is removed")
                .containsExactlyElementsOf(ids(coins));
        LockerPeek lower = get(lockers().peek("abc-1234"));
        assertThat(lower.coins()).as("another case is another locker").isEmpty();
        assertThat(lower.reply().countStatus(242)).isEqualTo(N);
        BatchResult wrongCase = get(lockers().remove("abc-1234", LockerClient.prepareRemove("abc-1234", ids(coins))));
        assertAll(wrongCase, ALL_F, Grade.COUNTERFEIT);

        long before = requests();
        for (String bad : List.of("ABC -1234", "ABC-\u00e91234", "   ", "ABC\u00a0-1234")) {
            assertThatThrownBy(() -> lockers().peek(bad)).as("code %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("1234"));
        }
        assertThat(requests()).as("nothing sent for a refused code").isEqualTo(before);
        // the locker is untouched: the right code still removes all three
        List<CoinFile> prepared = LockerClient.prepareRemove(" " + CODE, ids(coins));
        assertAll(get(lockers().remove(CODE + " ", prepared)), ALL_P, Grade.AUTHENTIC);
    }

    @Test
    void putManyFillsSeveralLockersInOneRequestAndJudgesEachAlone() throws Exception {
        Map<String, List<Coin>> lockers = new LinkedHashMap<>();
        lockers.put("AAA-0001", List.of(coins.get(0), coins.get(1)));
        lockers.put("BBB-0002", List.of(coins.get(2)));
        List<BatchResult> results = get(lockers().putMany(lockers));
        assertThat(results).hasSize(2);
        results.forEach(r -> assertAll(r, ALL_P, Grade.AUTHENTIC));
        assertThat(results.get(0).replies().get(0).countStatus(241)).isEqualTo(N);
        assertThat(get(lockers().peek("AAA-0001")).coins()).containsExactlyElementsOf(ids(coins.subList(0, 2)));
        assertThat(get(lockers().peek("BBB-0002")).coins()).containsExactly(LockerCoin.of(coins.get(2)));

        // the sender holds a wrong AN for the key coin on every RAIDA: that locker fails, the other passes (243)
        Coin wrong = randomCoin(KEY_DEN, KEY_SN);
        Map<String, List<Coin>> mixed = new LinkedHashMap<>();
        mixed.put("CCC-0003", List.of(wrong));
        mixed.put("DDD-0004", coinsOf(results.get(1)));
        List<BatchResult> second = get(lockers().putMany(mixed));
        assertAll(second.get(0), ALL_F, Grade.COUNTERFEIT);
        assertAll(second.get(1), ALL_P, Grade.AUTHENTIC);
        for (RaidaOutcome o : second.get(0).replies().get(0).outcomes()) {
            assertThat(o.status()).isEqualTo(243);
            assertThat(o.response().payload()).containsExactly(0x02);
        }
        assertThat(get(lockers().peek("BBB-0002")).coins()).isEmpty();
        assertThat(get(lockers().peek("DDD-0004")).coins()).containsExactly(LockerCoin.of(coins.get(2)));
        assertAll(detect(List.of(keyCoin)), ALL_P, Grade.AUTHENTIC);
    }

    @Test
    void encryptedLockerRequestsTypeOneAndFour() throws Exception {
        List<Coin> held = coins;
        for (KeyCoin key : List.of(KeyCoin.type1(keyCoin), KeyCoin.type4(keyCoin))) {
            String code = "KEY-000" + key.type().code();
            LockerClient keyed = LockerClient.keyedWith(cluster, key);
            assertAll(get(keyed.put(code, held)), ALL_P, Grade.AUTHENTIC);
            LockerPeek peek = get(keyed.peek(code));
            assertThat(peek.coins()).containsExactlyElementsOf(ids(coins));
            List<CoinFile> prepared = LockerClient.prepareRemove(code, peek.coins());
            BatchResult removed = get(keyed.remove(code, prepared));
            assertAll(removed, ALL_P, Grade.AUTHENTIC);
            assertAll(get(keyed.recover(LockerClient.keep(removed, prepared))), ALL_P, Grade.AUTHENTIC);
            held = coinsOf(removed);
            assertAll(detect(held), ALL_P, Grade.AUTHENTIC);
        }
    }
}
