package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raida.integrity.PageStore;
import io.raida.protocol.cluster.CoinFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network-server} and the {@code network} commands as a user types them: 25 RAIDA in this
 * JVM with page stores under a temporary directory, the commands run in process against them.
 */
class NetworkCliTest {
    @TempDir
    static Path dir;
    private static TestNetwork net;
    private static NetworkServer network;
    private static String base;
    private static final String ADMIN_KEY = "00112233445566778899aabbccddeeff";

    @BeforeAll
    static void startNetwork() throws Exception {
        net = TestNetwork.start(java.util.Map.of("RAIDA_ADMIN_KEY", ADMIN_KEY), dir.resolve("net"));
        network = net.network;
        base = net.base;
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    private static Path coin(int sn) {
        return dir.resolve("net").resolve("coins").resolve("1." + sn + ".bin");
    }

    @Test
    void echoShowsTwentyFiveRowsAndExitsZero() {
        Cmd.Result r = Cmd.run("network", "echo", "--base-port", base);
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.matches("\\d+\\s{2,}.*")).toList();
        assertThat(rows).hasSize(25);
        assertThat(rows).allMatch(l -> l.contains("STATUS_SUCCESS(250)") && l.contains("udp"));
        assertThat(r.out()).contains("25 of 25 RAIDA answered");
    }

    @Test
    void theDemoCoinFilesAreWritten() {
        assertThat(dir.resolve("net").resolve("coins")).isDirectoryContaining(p -> p.toString().endsWith(".bin"));
        for (int sn : NetworkServer.DEMO_SERIALS) {
            assertThat(coin(sn)).exists();
        }
    }

    @Test
    void detectSaysAuthenticAndLeavesTheFile() throws Exception {
        byte[] before = Files.readAllBytes(coin(1001));
        Cmd.Result r = Cmd.run("network", "detect", "--base-port", base, coin(1001).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1001  " + "p".repeat(25) + "  authentic");
        assertThat(Files.readAllBytes(coin(1001))).isEqualTo(before);
    }

    @Test
    void pownRewritesTheFileWithNewAns() throws Exception {
        CoinFile before = CoinFile.read(coin(1002));
        Cmd.Result r = Cmd.run("network", "pown", "--base-port", base, "--protocol", "tcp", coin(1002).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1002  " + "p".repeat(25) + "  authentic  (file rewritten)");
        CoinFile after = CoinFile.read(coin(1002));
        assertThat(after.hasPans()).isFalse();
        assertThat(after.coin().pown().toString()).isEqualTo("p".repeat(25));
        for (int i = 0; i < 25; i++) {
            assertThat(after.coin().an(i)).as("AN on RAIDA %d", i).isNotEqualTo(before.coin().an(i))
                    .isEqualTo(storedAn(i, 1002));
        }
        Cmd.Result again = Cmd.run("network", "detect", "--base-port", base, coin(1002).toString());
        assertThat(again.out()).contains("1002  " + "p".repeat(25) + "  authentic");
    }

    @Test
    void jsonParses() throws Exception {
        Cmd.Result r = Cmd.run("network", "detect", "--base-port", base, "--json", coin(1004).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("command").asText()).isEqualTo("network detect");
        assertThat(j.get("requests").get(0).get("raida")).hasSize(25);
        assertThat(j.get("coins").get(0).get("grade").asText()).isEqualTo("authentic");
        assertThat(j.get("ok").asBoolean()).isTrue();
        JsonNode echo = new ObjectMapper().readTree(Cmd.run("network", "echo", "--base-port", base, "--json",
                "--types").out());
        assertThat(echo.get("raida")).hasSize(25);
        assertThat(echo.get("succeeded").asInt()).isEqualTo(25);
    }

    @Test
    void versionAndRootsAnswerOnAll() {
        Cmd.Result v = Cmd.run("network", "version", "--base-port", base);
        assertThat(v.code()).as(v.toString()).isZero();
        Cmd.Result roots = Cmd.run("network", "roots", "--base-port", base);
        assertThat(roots.code()).as(roots.toString()).isZero();
        assertThat(roots.out()).contains("25 of 25 RAIDA answered");
        // the demo coins have a different AN on every RAIDA: 25 roots, each explained as expected
        assertThat(roots.out()).contains("25 different roots vectors, one per RAIDA: expected when each RAIDA holds"
                + " its own ANs").contains("not a fault").doesNotContain(" differ (").doesNotContain(" agree (");
        assertThat(roots.out().lines().filter(l -> l.endsWith(" own (1)")).count()).isEqualTo(25);
        assertThat(roots.out().lines().filter(l -> l.startsWith("24 ")).findFirst().orElseThrow())
                .as("labels in RAIDA order when no two agree").endsWith("Y own (1)");
    }

    @Test
    void rootsSummaryNamesAMajorityOnlyWhereThereIsOne() {
        assertThat(NetworkCli.Roots.summary(1, 25)).isEqualTo("all answering RAIDA agree on the roots");
        assertThat(NetworkCli.Roots.summary(2, 24)).isEqualTo(
                "2 different roots vectors; 24 RAIDA agree on A (a majority: the sync heals the others toward A)");
        assertThat(NetworkCli.Roots.summary(3, 12)).isEqualTo(
                "3 different roots vectors; 12 RAIDA agree on A (fewer than 13: the sync changes nothing)");
        assertThat(NetworkCli.Roots.summary(25, 1)).startsWith("25 different roots vectors, one per RAIDA")
                .contains("integrity.md §3");
    }

    @Test
    void statsWithTheAdminKey() throws Exception {
        Cmd.Result r = Cmd.run(java.util.Map.of("RAIDA_ADMIN_KEY", ADMIN_KEY), "network", "stats", "--base-port", base,
                "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("succeeded").asInt()).isEqualTo(25);
        Cmd.Result wrong = Cmd.run(java.util.Map.of("RAIDA_ADMIN_KEY", "ff".repeat(16)), "network", "stats",
                "--base-port", base);
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
    }

    @Test
    void findResolvesACoinInLimbo() throws Exception {
        // a pown whose replies were lost: RAIDA 0..9 took the PANs, the others still hold the ANs
        CoinFile file = CoinFile.read(coin(1005));
        List<byte[]> pans = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] pan = file.coin().an(i).clone();
            pan[0] ^= 0x33;
            pans.add(pan);
            if (i < 10) {
                PageStore store = network.servers().get(i).store();
                byte[] page = new byte[PageStore.PAGE_SIZE];
                store.readPage(1, 0, page);
                System.arraycopy(pan, 0, page, 1005 * PageStore.RECORD_SIZE, 16);
                store.writePage(1, 0, page);
            }
        }
        new CoinFile(file.coin(), pans).write(coin(1005));
        Cmd.Result r = Cmd.run("network", "find", "--base-port", base, coin(1005).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("find " + "p".repeat(10) + "a".repeat(15));
        CoinFile found = CoinFile.read(coin(1005));
        assertThat(found.hasPans()).isFalse();
        for (int i = 0; i < 25; i++) {
            assertThat(found.coin().an(i)).as("AN on RAIDA %d", i).isEqualTo(storedAn(i, 1005));
        }
        Cmd.Result d = Cmd.run("network", "detect", "--base-port", base, coin(1005).toString());
        assertThat(d.out()).contains("1005  " + "p".repeat(25) + "  authentic");
    }

    @Test
    void aPownNobodyAnsweredLeavesPansThatHealResolves() throws Exception {
        Path copy = dir.resolve("limbo.bin");
        CoinFile original = CoinFile.read(coin(1004));
        original.write(copy);
        String nobody = String.valueOf(Integer.parseInt(base) + 5_000); // nothing listens there
        Cmd.Result p = Cmd.run("network", "pown", "--base-port", nobody, "--protocol", "udp", "--timeout-ms", "100",
                "--deadline-ms", "400", copy.toString());
        assertThat(p.code()).as(p.toString()).isEqualTo(1);
        assertThat(p.out()).contains("limbo  (file rewritten)  PANs kept in the file: run network heal");
        assertThat(CoinFile.read(copy).hasPans()).isTrue();

        Cmd.Result h = Cmd.run("network", "heal", "--base-port", base, copy.toString());
        assertThat(h.code()).as(h.toString()).isZero();
        assertThat(h.out()).contains("p".repeat(25) + "  authentic  (file rewritten)");
        CoinFile healed = CoinFile.read(copy);
        assertThat(healed.hasPans()).isFalse();
        for (int i = 0; i < 25; i++) {
            assertThat(healed.coin().an(i)).as("AN on RAIDA %d", i).isEqualTo(original.coin().an(i));
        }
    }

    @Test
    void aCounterfeitCoinExitsOne() throws Exception {
        CoinFile real = CoinFile.read(coin(1004));
        List<byte[]> wrong = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] an = real.coin().an(i).clone();
            an[15] ^= 1;
            wrong.add(an);
        }
        Path fake = dir.resolve("fake.bin");
        CoinFile.of(real.coin().withAns(wrong)).write(fake);
        Cmd.Result r = Cmd.run("network", "detect", "--base-port", base, fake.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("1004  " + "f".repeat(25) + "  counterfeit");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        for (String[] args : List.of(
                new String[] {"network", "echo", "--base-port", "x"},
                new String[] {"network", "echo", "--protocol", "sctp"},
                new String[] {"network", "echo", "--base-port", "1", "--raida-list", "l.txt"},
                new String[] {"network", "detect", "--base-port", base},
                new String[] {"network", "detect", "--base-port", base, dir.resolve("missing.bin").toString()},
                new String[] {"network", "stats", "--base-port", base},
                new String[] {"network"})) {
            Cmd.Result r = Cmd.run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.errorLine()).as(r.toString()).isNotEmpty();
            assertThat(r.err().lines().filter(l -> l.startsWith("error: "))).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void healMendsACoinFrackedOnThreeRaida() throws Exception {
        for (int raida : new int[] {2, 11, 23}) { // their ANs change behind the client's back
            PageStore store = network.servers().get(raida).store();
            byte[] page = new byte[PageStore.PAGE_SIZE];
            store.readPage(1, 0, page);
            page[1003 * PageStore.RECORD_SIZE] ^= 0x5A;
            store.writePage(1, 0, page);
        }
        Cmd.Result d = Cmd.run("network", "detect", "--base-port", base, coin(1003).toString());
        assertThat(d.code()).as(d.toString()).isZero();
        assertThat(d.out()).contains("1003  ppfppppppppfpppppppppppfp  fracked");

        Cmd.Result r = Cmd.run("network", "heal", "--base-port", base, coin(1003).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1003  " + "p".repeat(25) + "  authentic  (file rewritten)");
        CoinFile healed = CoinFile.read(coin(1003));
        for (int i = 0; i < 25; i++) {
            assertThat(healed.coin().an(i)).as("AN on RAIDA %d", i).isEqualTo(storedAn(i, 1003));
        }
        Cmd.Result after = Cmd.run("network", "detect", "--base-port", base, coin(1003).toString());
        assertThat(after.out()).contains("1003  " + "p".repeat(25) + "  authentic");
    }

    private static byte[] storedAn(int raida, int sn) throws Exception {
        byte[] rec = new byte[PageStore.RECORD_SIZE];
        assertThat(network.servers().get(raida).store().readRecord(1, 0, sn, rec, 0)).isTrue();
        return java.util.Arrays.copyOf(rec, 16);
    }
}
