package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.transport.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the subcommands' options and the usage-error contract (one line, a pointer to --help, exit 2). */
class CommandLineTest {

    @Test
    void serverWithoutOptionsIsTheEmbeddedDemoServer() throws UsageException {
        ServerSettings s = ServerSettings.parse(List.of());
        assertThat(s.transport()).isEqualTo("nio");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.raidaId()).isZero();
        assertThat(s.port()).isEqualTo(50_000);
        assertThat(s.coinId()).isEqualTo(6);
        assertThat(s.workerThreads()).isEqualTo(ServerOptions.defaults().workerPools().workerThreads());
        assertThat(s.adminKey()).isNull();
        assertThat(s.version()).isNull();
        assertThat(s.core(DemoCoins.resolver()).keys().coinAn(1, 1_001)).isEqualTo(DemoCoins.defaultCoin().an());
    }

    @Test
    void serverTakesEveryOption() throws UsageException {
        ServerSettings s = ServerSettings.parse(List.of("--transport", "NETTY", "--host", "0.0.0.0", "--port=27001",
                "--raida-id", "14", "--coin-id", "7", "--threads", "12", "--io-threads", "2",
                "--admin-key", "000102030405060708090a0b0c0d0e0f", "--version-string", "20261121"));
        assertThat(s.transport()).isEqualTo("netty");
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(27_001);
        assertThat(s.raidaId()).isEqualTo(14);
        assertThat(s.coinId()).isEqualTo(7);
        assertThat(s.workerThreads()).isEqualTo(12);
        assertThat(s.ioThreads()).isEqualTo(2);
        assertThat(s.adminKey()).isEqualTo(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"));
        assertThat(s.version()).isEqualTo("20261121");
        assertThat(s.options().workerPools().workerThreads()).isEqualTo(12);
        assertThat(s.options().port()).isEqualTo(27_001);
        assertThat(s.core(DemoCoins.resolver()).raidaId()).isEqualTo(14);
        assertThat(s.toString()).doesNotContain("000102");
    }

    @Test
    void serverPortFollowsTheRaidaIdConvention() throws UsageException {
        assertThat(ServerSettings.parse(List.of("--raida-id", "24")).port()).isEqualTo(50_024);
        assertThat(ServerSettings.parse(List.of("--raida-id", "24", "--port", "0")).port()).isZero();
    }

    @Test
    void badServerOptionsNameTheProblem() {
        assertUsage(List.of("--raida-id", "25"), "--raida-id must be 0..24, got 25");
        assertUsage(List.of("--port", "70000"), "--port must be 0..65535");
        assertUsage(List.of("--port", "x"), "--port must be a whole number");
        assertUsage(List.of("--transport", "epoll"),
                "--transport must be nio, netty or another transport on the class path, got \"epoll\" (installed: ");
        assertUsage(List.of("--admin-key", "0011"), "--admin-key needs 32 hex digits, got 4");
        assertUsage(List.of("--admin-key", "zz0102030405060708090a0b0c0d0e0f"), "--admin-key must be hexadecimal");
        assertUsage(List.of("--version-string", "1.0"), "--version-string must be exactly 8 ASCII characters");
        assertUsage(List.of("--threads", "0"), "--threads must be 1..1024");
        assertUsage(List.of("--frobnicate", "1"), "Unknown options: '--frobnicate', '1'");
        assertUsage(List.of("--port"), "Missing required parameter for option '--port'");
        assertUsage(List.of("--port", "--host", "x"), "Expected parameter for option '--port' but found '--host'");
        assertUsage(List.of("--port", "1", "--port", "2"), "option '--port' (PORT) should be specified only once");
        assertUsage(List.of("8080"), "Unmatched argument at index 0: '8080'");
    }

    @Test
    void integrityOptions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("Data"));
        String d = dir.toString();
        String peers = String.join(",", java.util.Collections.nCopies(25, "127.0.0.1:50001")).replaceFirst(
                "^127\\.0\\.0\\.1:50001", "-");
        ServerSettings s = ServerSettings.parse(List.of("--data-dir", d, "--peers", peers,
                "--sync-interval", "60"));
        assertThat(s.dataDir()).isEqualTo(dir);
        assertThat(s.peers()).hasSize(25);
        assertThat(s.peers().get(0)).isNull();
        assertThat(s.peers().get(24).getPort()).isEqualTo(50_001);
        assertThat(s.syncInterval().toSeconds()).isEqualTo(60);
        assertThat(ServerSettings.parse(List.of()).dataDir()).isNull();
        assertThat(ServerSettings.parse(List.of()).peers()).isEmpty();
        assertThat(ServerSettings.parse(List.of()).syncInterval().toSeconds()).isEqualTo(3_600);

        assertUsage(List.of("--peers", peers), "--peers and --sync-interval need --data-dir");
        assertUsage(List.of("--data-dir", d, "--peers", "127.0.0.1:1,127.0.0.1:2"),
                "--peers lists all 25 RAIDA as host:port (index = RAIDA id), got 2 entries");
        assertUsage(List.of("--data-dir", d, "--peers", peers.replace("-,", "x,").replace(",127.0.0.1:50001,", ",nohost,")),
                "--peers entry ");
        assertUsage(List.of("--data-dir", d, "--peers", peers.replace(",127.0.0.1:50001,", ",no-such-peer.invalid:50001,")),
                "--peers entry 1: cannot resolve host \"no-such-peer.invalid\"");
        assertUsage(List.of("--data-dir", d, "--sync-interval", "0"), "--sync-interval must be 1..");
    }

    @Test
    void aBadAdminKeyIsNotEchoed() {
        assertThatThrownBy(() -> ServerSettings.parse(List.of("--admin-key", "secretsecretsecretsecretsecretxx")))
                .hasMessageNotContaining("secret");
    }

    @Test
    void clientDefaultsTalkToTheDefaultServer() throws UsageException {
        ClientSettings c = ClientSettings.parse(List.of());
        assertThat(c.transport()).isEqualTo("nio");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(50_000);
        assertThat(c.protocols()).containsExactly(Transport.UDP, Transport.TCP);
        assertThat(c.calls()).containsExactly(
                new Call("echo", EncryptionType.NONE), new Call("version", EncryptionType.NONE),
                new Call("echo", EncryptionType.AES128_COIN), new Call("version", EncryptionType.AES128_COIN),
                new Call("echo", EncryptionType.AES256_ONE_COIN), new Call("version", EncryptionType.AES256_ONE_COIN));
        assertThat(c.coin()).isEqualTo(DemoCoins.defaultCoin());
        assertThat(c.keystream()).as("auto: learned with one type 1 version call").isNull();
        assertThat(c.timeout().toMillis()).isEqualTo(3_000);
    }

    @Test
    void clientTakesEveryOption() throws UsageException {
        ClientSettings c = ClientSettings.parse(List.of("--transport", "netty", "--host", "10.0.0.1", "--port", "50014",
                "--raida-id", "14", "--coin-id", "6", "--protocol", "tcp", "--types", "4", "--denomination", "-8",
                "--serial-number", "1023999", "--an", "ffeeddccbbaa99887766554433221100", "--keystream", "restart",
                "--timeout-ms", "500"));
        assertThat(c.transport()).isEqualTo("netty");
        assertThat(c.port()).isEqualTo(50_014);
        assertThat(c.raidaId()).isEqualTo(14);
        assertThat(c.protocols()).containsExactly(Transport.TCP);
        assertThat(c.calls()).extracting(Call::type).containsOnly(EncryptionType.AES256_ONE_COIN);
        assertThat(c.coin().denomination()).isEqualTo(-8);
        assertThat(c.coin().serialNumber()).isEqualTo(1_023_999);
        assertThat(c.coin().an()).isEqualTo(HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100"));
        assertThat(c.keystream()).isEqualTo(KeystreamMode.RESTART);
        assertThat(c.timeout().toMillis()).isEqualTo(500);
    }

    @Test
    void badClientOptionsNameTheProblem() {
        assertClientUsage(List.of("--types", "0,2"), "--types lists encryption types 0, 1 and 4");
        assertClientUsage(List.of("--types", "1,1"), "--types lists type 1 twice");
        assertClientUsage(List.of("--protocol", "sctp"), "--protocol must be one of udp|tcp|both");
        assertClientUsage(List.of("--an", "ffeeddccbbaa99887766554433221100"),
                "give --denomination, --serial-number and --an (or --an-file, or RAIDA_AN) together");
        assertClientUsage(List.of("--denomination", "7", "--serial-number", "1", "--an",
                "ffeeddccbbaa99887766554433221100"), "--denomination must be -8..6");
        assertClientUsage(List.of("--port", "0"), "--port must be 1..65535");
    }

    @Test
    void cc2Options() throws UsageException {
        assertThat(ServerSettings.parse(List.of()).cc2Socket()).isNull();
        ServerSettings s = ServerSettings.parse(List.of("--cc2-socket", "/opt/superraida/unix.sock", "--raida-id",
                "14"));
        assertThat(s.cc2Socket()).isEqualTo(java.nio.file.Path.of("/opt/superraida/unix.sock"));
        assertThat(s.toString()).contains("shard 2 via CC2 at /opt/superraida/unix.sock");
        assertUsage(List.of("--cc2-socket", " "), "--cc2-socket needs the path");

        assertThat(Cc2SimulatorCommand.parse(List.of("--socket", "/tmp/cc2.sock")).socket())
                .isEqualTo(java.nio.file.Path.of("/tmp/cc2.sock"));
        assertThatThrownBy(() -> Cc2SimulatorCommand.parse(List.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("needs --socket PATH");

        ClientSettings plain = ClientSettings.parse(List.of());
        assertThat(plain.shard2Coins()).isEmpty();
        ClientSettings c = ClientSettings.parse(List.of("--detect-shard2",
                "16777215:ffeeddccbbaa99887766554433221100, 0:00112233445566778899AABBCCDDEEFF", "--protocol", "tcp"));
        assertThat(c.shard2Coins()).extracting(io.raida.legacy.Cc2Coin::sn).containsExactly(16_777_215L, 0L);
        assertThat(c.shard2Coins().get(1).an()).isEqualTo(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        assertThat(c.types()).containsExactly(EncryptionType.NONE); // a detect defaults to type 0 only
        assertThat(ClientSettings.parse(List.of("--detect-shard2", "1:ffeeddccbbaa99887766554433221100", "--types",
                "1,4")).types()).containsExactly(EncryptionType.AES128_COIN, EncryptionType.AES256_ONE_COIN);
        assertThat(c.toString()).contains("shard-2 detect of 2 coins").doesNotContain("ffeedd");

        // den 0, SN big-endian, AN: the record Cc2DetectHandler reads
        assertThat(Shard2Detect.payload(c.shard2Coins())).isEqualTo(HexFormat.of().parseHex(
                "0000ffffff" + "ffeeddccbbaa99887766554433221100" + "0000000000" + "00112233445566778899aabbccddeeff"));
    }

    @Test
    void badDetectShard2ValuesNameTheEntryButNotTheAn() {
        String an = "ffeeddccbbaa99887766554433221100";
        assertClientUsage(List.of("--detect-shard2", "1"), "--detect-shard2 entry 1 must be SN:AN");
        assertClientUsage(List.of("--detect-shard2", "1:" + an + ","), "--detect-shard2 entry 2 must be SN:AN");
        assertClientUsage(List.of("--detect-shard2", "x:" + an), "entry 1: the serial number must be a whole number");
        assertClientUsage(List.of("--detect-shard2", "16777216:" + an), "serial number must be 0..16777215");
        assertClientUsage(List.of("--detect-shard2", "1:" + an + ",2:" + an.substring(2)),
                "entry 2: the AN needs 32 hex digits, got 30");
        assertThatThrownBy(() -> ClientSettings.parse(List.of("--detect-shard2", "1:secretsecretsecretsecretsecretxx")))
                .isInstanceOf(UsageException.class).hasMessageContaining("the AN must be hexadecimal digits")
                .hasMessageNotContaining("secret");
        String tooMany = String.join(",", java.util.Collections.nCopies(Shard2Detect.MAX_COINS + 1, "1:" + an));
        assertClientUsage(List.of("--detect-shard2", tooMany), "at most " + Shard2Detect.MAX_COINS + " coins");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"client", "--detect-shard2", "2000001:zz" + an.substring(2)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        assertThat(code).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).startsWith("error: --detect-shard2 entry 1: the AN must be hexadecimal digits")
                .contains("usage: java -jar raida-examples.jar client --help shows the options")
                .doesNotContain(an.substring(2));
        assertThat(out.size()).isZero();
    }

    @Test
    void demoOptions() throws UsageException {
        assertThat(DemoCommand.parse(List.of()).serverTransports()).containsExactly("nio");
        assertThat(DemoCommand.parse(List.of("--transport", "both")).serverTransports()).containsExactly("nio", "netty");
        DemoCommand.Settings d = DemoCommand.parse(List.of("--transport", "netty", "--client-transport", "nio",
                "--protocol", "udp", "--types", "0", "--timeout-ms", "100"));
        assertThat(d.serverTransports()).containsExactly("netty");
        assertThat(d.clientTransport()).isEqualTo("nio");
        assertThat(d.protocol()).isEqualTo("udp");
        assertThatThrownBy(() -> DemoCommand.parse(List.of("--types", "5"))).isInstanceOf(UsageException.class);
    }

    @Test
    void usageErrorsPrintOneLineAndTheUsageAndExitWith2() {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"server", "--port", "-1"},
                {"client", "--types", "3"}, {"demo", "--transport", "x"}, {"cc2-simulator"},
                {"cc2-simulator", "--socket", "/tmp/x", "--port", "1"}, {"server", "--cc2-socket"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            String[] lines = err.toString(StandardCharsets.UTF_8).split("\\R");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("error: ");
            assertThat(lines[1]).startsWith("usage: java -jar raida-examples.jar");
            assertThat(out.size()).isZero();
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsWith0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                false);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("demo", "server", "client", "cc2-simulator",
                "completion", "--log-level");
    }

    private static void assertUsage(List<String> args, String message) {
        assertThatThrownBy(() -> ServerSettings.parse(args)).as(args.toString())
                .isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    private static void assertClientUsage(List<String> args, String message) {
        assertThatThrownBy(() -> ClientSettings.parse(args)).as(args.toString())
                .isInstanceOf(UsageException.class).hasMessageContaining(message);
    }
}
