package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user types it: help, version, completion, usage errors and the checks before start. */
class CliTest {
    private static final String KEY = "6de9439834c9147569741d3c9c9fc010";
    private static final String AN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /** Every command path: "", "demo", "client stats", ... */
    static List<String> commandPaths() {
        List<String> paths = new ArrayList<>();
        collect(Main.commandLine(Cli.wordsOnly(), Main.commands(Cli.wordsOnly())), "", paths);
        return paths;
    }

    private static void collect(CommandLine cl, String path, List<String> paths) {
        paths.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, path.isEmpty() ? name : path + " " + name, paths);
            }
        });
    }

    private static String[] words(String path, String... more) {
        List<String> w = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
        w.addAll(List.of(more));
        return w.toArray(String[]::new);
    }

    @Test
    void everyCommandHasHelpAndLogLevel() {
        List<String> paths = commandPaths();
        assertThat(paths).contains("", "demo", "server", "client", "client stats", "cc2-simulator", "completion");
        for (String path : paths) {
            Cmd.Result r = Cmd.run(words(path, "--help"));
            assertThat(r.code()).as(path + " --help: " + r).isZero();
            assertThat(r.out()).as(path).startsWith("Usage: raida-examples" + (path.isEmpty() ? "" : " " + path))
                    .contains("-h, --help", "-V, --version");
            assertThat(r.out()).as(path).contains("--log-level=LEVEL");
            assertThat(r.err()).as(path).isEmpty();
        }
        Cmd.Result help = Cmd.run("help", "server");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--admin-key-file=FILE", "--data-dir=DIR", "--init", "--config=FILE");
    }

    @Test
    void versionPrintsTheLibraryVersion() {
        for (String path : List.of("", "server", "client stats")) {
            Cmd.Result r = Cmd.run(words(path, "--version"));
            assertThat(r.code()).isZero();
            assertThat(r.out().strip()).matches("raida-java \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .+\\)");
        }
        assertThat(LibraryVersion.version()).isNotEqualTo("unknown");
    }

    @Test
    void completionPrintsABashScriptCoveringEveryCommand() {
        Cmd.Result r = Cmd.run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F", "raida-examples", "--admin-key-file", "--detect-shard2",
                "stats", "cc2-simulator", "--log-level");
    }

    @Test
    void theDemoStaysOneCommand() {
        Cmd.Result r = Cmd.run("demo", "--protocol", "udp", "--types", "0");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("demo: every call succeeded");
    }

    @Test
    void usageErrorsAreOneLineNamingTheOptionThenExit2() {
        String an30 = AN.substring(2);
        assertUsage("error: --an needs 32 hex digits, got 30", "client", "--denomination", "1", "--serial-number", "5",
                "--an", an30);
        assertUsage("error: --an must be hexadecimal digits (0-9, a-f), found another character at position 1",
                "client", "--denomination", "1", "--serial-number", "5", "--an", "zz" + an30);
        assertUsage("error: --admin-key needs 32 hex digits, got 4", "server", "--admin-key", "0011");
        assertUsage("error: --raida-id must be 0..24, got 25", "server", "--raida-id", "25");
        assertUsage("error: --raida-id must be 0..24, got -1", "client", "--raida-id", "-1");
        assertUsage("error: --port must be 0..65535, got 70000", "server", "--port", "70000");
        assertUsage("error: --port must be a whole number, got \"x\"", "client", "--port", "x");
        assertUsage("error: --port must be 1..65535, got 0", "client", "stats", "--port", "0", "--admin-key", KEY);
        assertUsage("error: --denomination must be -8..6, got 7", "client", "--denomination", "7", "--serial-number",
                "1", "--an", AN);
        assertUsage("error: --serial-number must be 0..1023999, got 1024000", "client", "--denomination", "1",
                "--serial-number", "1024000", "--an", AN);
        assertUsageStartsWith("error: --transport must be nio, netty or another transport on the class path, got \"epoll\""
                + " (installed: ", "server", "--transport", "epoll");
        assertUsage("error: Unknown option: '--frobnicate'", "server", "--frobnicate");
        assertUsage("error: Unknown options: '--data-dri', '/srv' (did you mean --data-dir?)", "server", "--data-dri",
                "/srv");
        assertUsage("error: Missing required parameter for option '--port' (PORT)", "client", "--port");
        assertUsage("error: option '--port' (PORT) should be specified only once", "server", "--port", "1", "--port",
                "2");
        assertUsage("error: missing command: one of demo, server, client, network-server, network, cc2-simulator, completion, help");
        assertUsage("error: Unmatched argument at index 0: 'frobnicate' (commands: demo, server, client, "
                + "network-server, network, cc2-simulator, completion, help)", "frobnicate");
        assertUsage("error: cc2-simulator needs --socket PATH (the Unix socket to listen on)", "cc2-simulator");
        assertUsage("error: client stats needs the admin key: --admin-key-file FILE, the environment variable "
                + "RAIDA_ADMIN_KEY, or --admin-key HEX", "client", "stats");
        assertUsage("error: Invalid value for option '--log-level': expected one of [off, error, warn, info, debug, "
                + "trace] (case-insensitive) but was 'loud'", "demo", "--log-level", "loud");
    }

    @Test
    void aTypoedDataDirIsReportedAndNotCreated(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("raida-dta");
        assertUsage("error: --data-dir " + typo + " does not exist (nothing was created; add --init to create an "
                + "empty page store there)", "server", "--port", "0", "--data-dir", typo.toString());
        assertThat(typo).doesNotExist();

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertUsage("error: --data-dir " + empty + " is not a page store: it has no Data directory "
                + "(Data/<DD>/<PP>/<NNNN>.bin); add --init to make it one", "server", "--data-dir", empty.toString());
        assertThat(empty).isEmptyDirectory();
        assertUsage("error: --init needs --data-dir (the directory to create the page store in)", "server", "--init");
    }

    @Test
    void initCreatesThePageStoreAndTheServerRuns(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("new-store");
        try (Cmd.Background server = new Cmd.Background(Map.of(), "server", "--port", "0", "--threads", "1",
                "--data-dir", store.toString(), "--init")) {
            assertThat(server.server().integrity()).isNotNull();
            assertThat(store.resolve("Data")).isDirectory();
            assertThat(server.stop().code()).isZero();
        }
    }

    @Test
    void aPortInUseIsReportedWithThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertUsage("error: --port " + port + " is already in use on 127.0.0.1 (TCP)", "server", "--port",
                    String.valueOf(port));
        }
        for (int attempt = 0; ; attempt++) {
            try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    0))) {
                int port = taken.getLocalPort();
                if (!tcpFree(port) && attempt < 20) {
                    continue; // another process holds the TCP side of this port: the check would name TCP
                }
                assertUsage("error: --port " + port + " is already in use on 127.0.0.1 (UDP)", "server", "--port",
                        String.valueOf(port));
                return;
            }
        }
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void secretsFromFileAndEnvironment(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("admin.key");
        Files.writeString(keyFile, KEY + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path anFile = dir.resolve("coin.an");
        Files.writeString(anFile, DemoCoins.defaultCoin().anHex() + "\nsecond line ignored\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(anFile, PosixFilePermissions.fromString("rw-r--r--"));

        try (Cmd.Background server = new Cmd.Background(Map.of(), "server", "--port", "0", "--threads", "1",
                "--admin-key-file", keyFile.toString())) {
            String port = String.valueOf(server.server().port());
            // the key file is private: no warning; the AN file is world-readable: one warning
            Cmd.Result stats = Cmd.run(Map.of("RAIDA_ADMIN_KEY", KEY), "client", "stats", "--port", port);
            assertThat(stats.code()).as(stats.toString()).isZero();
            assertThat(stats.err()).isEmpty();

            DemoCoins.Coin c = DemoCoins.defaultCoin();
            Cmd.Result byFile = Cmd.run("client", "--port", port, "--types", "4", "--protocol", "udp",
                    "--denomination", String.valueOf(c.denomination()), "--serial-number",
                    String.valueOf(c.serialNumber()), "--an-file", anFile.toString());
            assertThat(byFile.code()).as(byFile.toString()).isZero();
            assertThat(byFile.err()).isEqualTo("warning: --an-file " + anFile + " holds a secret and is readable by "
                    + "other users (mode rw-r--r--); chmod 600 " + anFile + System.lineSeparator());

            Cmd.Result byEnv = Cmd.run(Map.of("RAIDA_AN", c.anHex()), "client", "--port", port, "--types", "1",
                    "--protocol", "tcp", "--denomination", String.valueOf(c.denomination()), "--serial-number",
                    String.valueOf(c.serialNumber()));
            assertThat(byEnv.code()).as(byEnv.toString()).isZero();
            assertThat(byEnv.err()).isEmpty();

            // a wrong AN from the environment fails the encrypted calls: the variable was really used
            Cmd.Result wrong = Cmd.run(Map.of("RAIDA_AN", AN), "client", "--port", port, "--types", "4",
                    "--protocol", "udp", "--timeout-ms", "2000", "--denomination", String.valueOf(c.denomination()),
                    "--serial-number", String.valueOf(c.serialNumber()));
            assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);

            Cmd.Result badEnv = Cmd.run(Map.of("RAIDA_ADMIN_KEY", "1234"), "client", "stats", "--port", port);
            assertThat(badEnv.errorLine()).isEqualTo("error: RAIDA_ADMIN_KEY needs 32 hex digits, got 4");
            Cmd.Result both = Cmd.run("client", "stats", "--admin-key", KEY, "--admin-key-file", keyFile.toString());
            assertThat(both.errorLine()).isEqualTo("error: give --admin-key or --admin-key-file, not both");
            Cmd.Result noFile = Cmd.run("client", "stats", "--admin-key-file", dir.resolve("nope").toString());
            assertThat(noFile.errorLine()).isEqualTo("error: --admin-key-file " + dir.resolve("nope")
                    + ": no such file");
        }
    }

    @Test
    void aSecretGivenAsAnArgumentIsWarnedAboutOnceAndNeverPrinted() throws Exception {
        try (Cmd.Background server = new Cmd.Background(Map.of(), "server", "--port", "0", "--threads", "1",
                "--admin-key", KEY)) {
            String port = String.valueOf(server.server().port());
            Cmd.Result stats = Cmd.run("client", "stats", "--port", port, "--admin-key", KEY);
            assertThat(stats.code()).as(stats.toString()).isZero();
            assertThat(stats.err()).isEqualTo("warning: --admin-key on the command line can be read by other users (ps, "
                    + "shell history); use --admin-key-file FILE or the environment variable RAIDA_ADMIN_KEY"
                    + System.lineSeparator());
            Cmd.Result r = server.stop();
            assertThat(r.err().lines().filter(l -> l.startsWith("warning: --admin-key on the command line")))
                    .hasSize(1);
            assertThat(r.out() + r.err() + stats.out()).doesNotContainIgnoringCase(KEY);
        }
    }

    private static void assertUsage(String firstLine, String... args) {
        assertUsageStartsWith(firstLine, args);
        assertThat(Cmd.run(args).err().lines().findFirst()).hasValue(firstLine);
    }

    /** As {@link #assertUsage} for a first line whose end depends on the class path. */
    private static void assertUsageStartsWith(String firstLine, String... args) {
        Cmd.Result r = Cmd.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.toString()).hasSize(2);
        assertThat(lines.get(0)).startsWith(firstLine);
        assertThat(lines.get(1)).startsWith("usage: java -jar raida-examples.jar").endsWith("--help shows the options");
        assertThat(r.out()).isEmpty();
    }
}
