package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raida.integrity.PageStore;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.LockerClient;
import io.raida.protocol.cluster.LockerCoin;
import io.raida.protocol.cluster.LockerKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network locker put|peek|remove} as a user types them, against the 25 RAIDA of
 * {@code network-server} (NIO, page stores on disk) in this JVM: the demo coins travel from a
 * sender's wallet through a locker into a receiver's folder.
 */
class NetworkLockerCliTest {
    @TempDir
    static Path dir;
    private static TestNetwork net;
    private static NetworkServer network;
    private static String base;

    @BeforeAll
    static void startNetwork() throws Exception {
        net = TestNetwork.start(Map.of(), dir.resolve("net"));
        network = net.network;
        base = net.base;
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    /** A copy of demo coin {@code sn} in {@code folder} (the sender's wallet). */
    private static Path wallet(String folder, int sn) throws Exception {
        Path w = Files.createDirectories(dir.resolve(folder));
        return Files.copy(NetworkServer.coinDir(dir.resolve("net")).resolve("1." + sn + ".bin"),
                w.resolve("1." + sn + ".bin"));
    }

    private static List<String> rows(Cmd.Result r) {
        return r.out().lines().filter(l -> l.matches("\\d+\\s{2,}.*")).toList();
    }

    @Test
    void threeCoinsTravelThroughALocker() throws Exception {
        String code = "ABC-1234";
        List<Path> wallet = List.of(wallet("alice", 1001), wallet("alice", 1002), wallet("alice", 1003));
        List<CoinFile> originals = new ArrayList<>();
        for (Path p : wallet) {
            originals.add(CoinFile.read(p));
        }
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        for (Path p : wallet) {
            Files.copy(p, old.resolve(p.getFileName()));
        }

        Cmd.Result put = Cmd.run("network", "locker", "put", "--base-port", base, code, wallet.get(0).toString(),
                wallet.get(1).toString(), wallet.get(2).toString());
        assertThat(put.code()).as(put.toString()).isZero();
        assertThat(rows(put)).hasSize(25).allMatch(l -> l.contains("STATUS_ALL_PASS(241)"));
        Path sent = dir.resolve("alice").resolve("sent");
        for (int i = 0; i < 3; i++) {
            int sn = 1001 + i;
            assertThat(put.out()).contains(sn + "  " + "p".repeat(25) + "  authentic  sent: moved to "
                    + sent.resolve("1." + sn + ".bin"));
            assertThat(wallet.get(i)).doesNotExist();
            CoinFile s = CoinFile.read(sent.resolve("1." + sn + ".bin"));
            assertThat(s.hasPans()).isFalse();
            for (int r = 0; r < 25; r++) {
                assertThat(s.coin().an(r)).as("AN on RAIDA %d", r)
                        .isEqualTo(LockerKey.fromTransmitCode(code, r).bytes()).isEqualTo(storedAn(r, sn));
            }
        }

        Cmd.Result peek = Cmd.run("network", "locker", "peek", "--base-port", base, code);
        assertThat(peek.code()).as(peek.toString()).isZero();
        assertThat(rows(peek)).hasSize(25).allMatch(l -> l.contains("STATUS_ALL_PASS(241)") && l.endsWith("  3"));
        assertThat(peek.out()).contains("1.1001  listed by 25 of 25 RAIDA", "1.1002  listed by 25 of 25 RAIDA",
                "1.1003  listed by 25 of 25 RAIDA", "3 coin(s) listed by at least 13 RAIDA; 25 RAIDA gave a listing, "
                        + "all alike");
        JsonNode j = new ObjectMapper().readTree(Cmd.run("network", "locker", "peek", "--base-port", base, "--json",
                code).out());
        assertThat(j.get("command").asText()).isEqualTo("network locker peek");
        assertThat(j.get("raida")).hasSize(25).allMatch(r -> r.get("coins_listed").asText().equals("3"));
        assertThat(j.get("coins")).hasSize(3).allMatch(c -> c.get("listed_by").asInt() == 25);
        assertThat(j.get("agree").asBoolean()).isTrue();
        assertThat(j.get("ok").asBoolean()).isTrue();

        Cmd.Result lower = Cmd.run("network", "locker", "peek", "--base-port", base, "abc-1234");
        assertThat(lower.code()).as("another locker: " + lower).isEqualTo(1);
        Cmd.Result upper = Cmd.run("network", "locker", "peek", "--base-port", base, "--upper-case", "  abc-1234 ");
        assertThat(upper.code()).as(upper.toString()).isZero();
        assertThat(upper.out()).contains("1.1003  listed by 25 of 25 RAIDA");

        Path bob = dir.resolve("bob");
        Cmd.Result remove = Cmd.run("network", "locker", "remove", "--base-port", base, code, "--out", bob.toString());
        assertThat(remove.code()).as(remove.toString()).isZero();
        List<Path> received = new ArrayList<>();
        for (int sn = 1001; sn <= 1003; sn++) {
            Path f = bob.resolve("1." + sn + ".bin");
            received.add(f);
            assertThat(remove.out()).contains(f + "  " + sn + "  " + "p".repeat(25) + "  authentic  (file rewritten)");
            CoinFile c = CoinFile.read(f);
            assertThat(c.hasPans()).isFalse();
            assertThat(c.coin().pown().toString()).isEqualTo("p".repeat(25));
            for (int r = 0; r < 25; r++) {
                assertThat(c.coin().an(r)).as("AN on RAIDA %d", r).isEqualTo(storedAn(r, sn));
                assertThat(LockerKey.hasLockerTail(c.coin().an(r), 0)).isFalse();
            }
        }
        try (Stream<Path> s = Files.list(bob)) {
            assertThat(s.toList()).as("one file per coin, no temporary file left").hasSize(3);
        }

        Cmd.Result detect = Cmd.run(words("network", "detect", "--base-port", base, received));
        assertThat(detect.code()).as(detect.toString()).isZero();
        assertThat(detect.out().lines().filter(l -> l.endsWith("p".repeat(25) + "  authentic"))).hasSize(3);
        for (Path gone : List.of(old, sent)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(gone)) {
                files = s.sorted().toList();
            }
            Cmd.Result d = Cmd.run(words("network", "detect", "--base-port", base, files));
            assertThat(d.code()).as(d.toString()).isEqualTo(1);
            assertThat(d.out().lines().filter(l -> l.endsWith("f".repeat(25) + "  counterfeit"))).hasSize(3);
        }

        // the sender (or anyone with the code) tries again: the locker is empty, nothing changes
        Path again = dir.resolve("mallory");
        Cmd.Result second = Cmd.run("network", "locker", "remove", "--base-port", base, code, "--out", again.toString());
        assertThat(second.code()).as(second.toString()).isEqualTo(1);
        assertThat(rows(second)).hasSize(25).allMatch(l -> l.contains("STATUS_ALL_FAIL(242)"));
        assertThat(second.out()).contains("the locker is empty or unknown: no coin is listed by 13 RAIDA (25 gave a "
                + "listing); nothing was removed");
        assertThat(again).doesNotExist();
        Cmd.Result emptyPeek = Cmd.run("network", "locker", "peek", "--base-port", base, code);
        assertThat(emptyPeek.code()).as(emptyPeek.toString()).isEqualTo(1);
        assertThat(emptyPeek.out()).contains("0 coin(s) listed by at least 13 RAIDA");
        Cmd.Result still = Cmd.run(words("network", "detect", "--base-port", base, received));
        assertThat(still.code()).as(still.toString()).isZero();
        assertThat(still.out().lines().filter(l -> l.endsWith("p".repeat(25) + "  authentic"))).hasSize(3);
    }

    @Test
    void aPutListingOneCoinTwiceMovesNothing() throws Exception {
        Path file = wallet("carol", 1004);
        byte[] before = Files.readAllBytes(file);
        Path copy = Files.copy(file, dir.resolve("carol").resolve("copy-of-1004.bin"));
        for (String[] args : List.of(
                new String[] {"network", "locker", "put", "--base-port", base, "TWO-0001", file.toString(),
                    file.toString()},
                new String[] {"network", "locker", "put", "--base-port", base, "TWO-0001", file.toString(),
                    copy.toString()})) {
            Cmd.Result r = Cmd.run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.errorLine()).contains("coin 1/1004 is listed twice", "nothing was sent");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(dir.resolve("carol").resolve("sent")).doesNotExist();
        Cmd.Result peek = Cmd.run("network", "locker", "peek", "--base-port", base, "TWO-0001");
        assertThat(peek.code()).as(peek.toString()).isEqualTo(1);
        assertThat(rows(peek)).hasSize(25).allMatch(l -> l.contains("STATUS_ALL_FAIL(242)"));
        Cmd.Result d = Cmd.run("network", "detect", "--base-port", base, file.toString());
        assertThat(d.out()).contains("1004  " + "p".repeat(25) + "  authentic");
    }

    @Test
    void anInterruptedRemoveIsRecoveredWithFindAndPown() throws Exception {
        String code = "RCV-0001";
        Path file = wallet("dave", 1005);
        Cmd.Result put = Cmd.run("network", "locker", "put", "--base-port", base, code, file.toString());
        assertThat(put.code()).as(put.toString()).isZero();

        // what remove writes before its first request, then a crash after RAIDA 0..9 applied it
        Path out = Files.createDirectories(dir.resolve("erin"));
        Path kept = out.resolve("1.1005.bin");
        CoinFile prepared = LockerClient.prepareRemove(code, List.of(new LockerCoin(1, 1005))).get(0);
        prepared.write(kept);
        for (int r = 0; r < 10; r++) {
            PageStore store = network.servers().get(r).store();
            byte[] page = new byte[PageStore.PAGE_SIZE];
            store.readPage(1, 0, page);
            System.arraycopy(prepared.pans().get(r), 0, page, 1005 * PageStore.RECORD_SIZE, 16);
            store.writePage(1, 0, page);
        }
        byte[] keptBytes = Files.readAllBytes(kept);

        Cmd.Result rerun = Cmd.run("network", "locker", "remove", "--base-port", base, code, "--out", out.toString());
        assertThat(rerun.code()).as(rerun.toString()).isEqualTo(2);
        assertThat(rerun.errorLine()).contains(kept + " exists", "network find", "nothing was removed");
        assertThat(Files.readAllBytes(kept)).as("the kept new ANs are never overwritten").isEqualTo(keptBytes);

        Cmd.Result find = Cmd.run("network", "find", "--base-port", base, kept.toString());
        assertThat(find.code()).as(find.toString()).isZero();
        assertThat(find.out()).contains("find " + "p".repeat(10) + "a".repeat(15));
        Cmd.Result pown = Cmd.run("network", "pown", "--base-port", base, kept.toString());
        assertThat(pown.code()).as(pown.toString()).isZero();
        CoinFile recovered = CoinFile.read(kept);
        for (int r = 0; r < 25; r++) {
            assertThat(recovered.coin().an(r)).as("AN on RAIDA %d", r).isEqualTo(storedAn(r, 1005));
            assertThat(LockerKey.hasLockerTail(recovered.coin().an(r), 0)).isFalse();
        }
        Cmd.Result peek = Cmd.run("network", "locker", "peek", "--base-port", base, code);
        assertThat(peek.code()).as("the locker is empty: " + peek).isEqualTo(1);
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        Path coin = wallet("frank", 1001);
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        // each case with a piece of the one error line it must give (never the code itself)
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new String[] {"network", "locker", "peek", "--base-port", base, "AB C-1234"},
                "the transmit code contains white space at character 3");
        cases.put(new String[] {"network", "locker", "peek", "--base-port", base, "   "}, "the transmit code is empty");
        cases.put(new String[] {"network", "locker", "peek", "--base-port", base, "\u00c4BC-1234"},
                "non-ASCII character at character 1");
        cases.put(new String[] {"network", "locker", "put", "--base-port", base, "AB\tC-1234", coin.toString()},
                "at character 3");
        cases.put(new String[] {"network", "locker", "put", "--base-port", base, "ABC-1234"}, "FILE");
        cases.put(new String[] {"network", "locker", "put", "--base-port", base, "ABC-1234",
            dir.resolve("missing.bin").toString()}, "missing.bin: no such coin file");
        cases.put(new String[] {"network", "locker", "put", "--base-port", base, "ABC-1234", "--sent-dir",
            notADir.toString(), coin.toString()}, notADir + " is not a directory");
        cases.put(new String[] {"network", "locker", "remove", "--base-port", base, "ABC-1234"}, "--out");
        cases.put(new String[] {"network", "locker", "remove", "--base-port", base, "ABC-1234", "--out",
            notADir.toString()}, "--out " + notADir + " is not a directory");
        cases.put(new String[] {"network", "locker"}, "");
        cases.forEach((args, expected) -> {
            Cmd.Result r = Cmd.run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> l.startsWith("error: "))).as(r.toString()).hasSize(1);
            assertThat(r.errorLine()).as(r.toString()).contains(expected).doesNotContain("C-1234");
            assertThat(r.out()).isEmpty();
        });
        assertThat(coin).exists();
    }

    private static String[] words(String a, String b, String c, String d, List<Path> files) {
        List<String> w = new ArrayList<>(List.of(a, b, c, d));
        files.forEach(f -> w.add(f.toString()));
        return w.toArray(String[]::new);
    }

    private static byte[] storedAn(int raida, int sn) throws Exception {
        byte[] rec = new byte[PageStore.RECORD_SIZE];
        assertThat(network.servers().get(raida).store().readRecord(1, 0, sn, rec, 0)).isTrue();
        return Arrays.copyOf(rec, 16);
    }
}
