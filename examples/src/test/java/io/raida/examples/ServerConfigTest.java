package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server --config}: the reference server's config.toml (test resource reference-config.toml). */
class ServerConfigTest {
    @TempDir
    Path dir;
    Path config;
    Path store;
    String sample;

    @BeforeEach
    void copySample() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("reference-config.toml")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        config = write("config.toml", sample);
        store = Files.createDirectories(dir.resolve("raidax").resolve("Data")).getParent();
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** The settings of {@code server} with these words, and what it printed to standard error. */
    private record Parsed(ServerSettings settings, String err) {
    }

    private static Parsed parse(String... words) throws UsageException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false, null,
                x -> { });
        ServerCli s = new ServerCli(cli);
        Main.parseOnly(s, List.of(words));
        ServerSettings settings = s.settings();
        return new Parsed(settings, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyKeyOfTheSampleIsRead() throws UsageException, IOException {
        // root_path of the sample does not exist here: --data-dir overrides it
        Path withRoot = write("rooted.toml", sample.replace("/opt/raidax-missing", store.toString()));
        Parsed p = parse("--config", withRoot.toString());
        ServerSettings s = p.settings();
        assertThat(s.raidaId()).isEqualTo(14);
        assertThat(s.coinId()).isEqualTo(6);
        assertThat(s.port()).isEqualTo(50_014);
        assertThat(s.workerThreads()).isEqualTo(12);
        assertThat(s.adminKey()).isEqualTo(HexFormat.of().parseHex("6de9439834c9147569741d3c9c9fc010"));
        assertThat(s.dataDir()).isEqualTo(store);
        assertThat(s.udpPayload()).isEqualTo(1_440);
        assertThat(s.options().connectionLimits().udpPayloadThreshold()).isEqualTo(1_440);
        assertThat(s.syncInterval()).isEqualTo(Duration.ofSeconds(600));
        // synchronization_enabled = true: the 25 raida_servers are the peers, this server's own entry left out
        assertThat(s.peers()).hasSize(25);
        assertThat(s.peers().get(14)).isNull();
        assertThat(s.peers().get(0).getPort()).isEqualTo(50_000);
        assertThat(s.peers().get(24).getPort()).isEqualTo(50_024);
        // the keys read but not used are named once, without their values; the file is private: no warning
        assertThat(p.err()).isEqualTo("note: --config " + withRoot + ": ignoring backup_freq, proxy_key, "
                + "btc_confirmations (read by the reference server, not used by raida-java)"
                + System.lineSeparator());
        assertThat(p.err() + s).doesNotContain("11b524f9", "6de94398");
    }

    @Test
    void commandLineOptionsOverrideTheFile() throws UsageException {
        Path other = dir.resolve("other.key");
        ServerSettings s = parse("--config", config.toString(), "--data-dir", store.toString(), "--port", "0",
                "--raida-id", "3", "--threads", "2", "--coin-id", "7", "--sync-interval", "60").settings();
        assertThat(s.raidaId()).isEqualTo(3);
        assertThat(s.port()).isZero();
        assertThat(s.workerThreads()).isEqualTo(2);
        assertThat(s.coinId()).isEqualTo(7);
        assertThat(s.dataDir()).isEqualTo(store);
        assertThat(s.syncInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.peers().get(3)).isNull(); // the own entry follows --raida-id
        assertThat(s.peers().get(14)).isNotNull();
        // not overridden: from the file
        assertThat(s.udpPayload()).isEqualTo(1_440);
        assertThat(s.adminKey()).isEqualTo(HexFormat.of().parseHex("6de9439834c9147569741d3c9c9fc010"));
        assertThat(other).doesNotExist();
    }

    @Test
    void theServerRunsFromTheSampleConfig() throws Exception {
        try (Cmd.Background server = new Cmd.Background(Map.of(), "server", "--config", config.toString(),
                "--data-dir", store.toString(), "--port", "0", "--threads", "2", "--sync-interval", "3600")) {
            ServerCommand.Running running = server.server();
            assertThat(running.server().core().raidaId()).isEqualTo(14);
            assertThat(running.integrity()).isNotNull();
            String port = String.valueOf(running.port());
            // the admin key of the file opens show_stats
            Cmd.Result stats = Cmd.run(Map.of("RAIDA_ADMIN_KEY", "6de9439834c9147569741d3c9c9fc010"), "client", "stats",
                    "--port", port, "--raida-id", "14");
            assertThat(stats.code()).as(stats.toString()).isZero();
            Cmd.Result r = server.stop();
            assertThat(r.code()).isZero();
            assertThat(r.err()).contains("ignoring backup_freq, proxy_key, btc_confirmations");
        }
    }

    @Test
    void theRootPathOfTheFileIsCheckedLikeDataDir() {
        Cmd.Result r = Cmd.run("server", "--config", config.toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.errorLine()).isEqualTo("error: --config " + config + ": root_path /opt/raidax-missing does not "
                + "exist (nothing was created; add --init to create an empty page store there)");
        assertThat(Path.of("/opt/raidax-missing")).doesNotExist();
    }

    @Test
    void unknownKeysAreWarnedByName() throws Exception {
        Path f = write("unknown.toml", sample.replace("threads = 12", "threads = 12\nthread_count = 4\nmax_peers = 3")
                + "\n[metrics]\nenabled = true\n");
        Parsed p = parse("--config", f.toString(), "--data-dir", store.toString());
        assertThat(p.err()).contains("warning: --config " + f + ": unknown key(s) metrics, server.thread_count, "
                + "server.max_peers (ignored)");
        assertThat(p.settings().workerThreads()).isEqualTo(12);
    }

    @Test
    void aMalformedFileExits2WithTheLineAndTheKey() throws Exception {
        Path broken = write("broken.toml", sample.replace("port = 50014", "port = 50014x"));
        Cmd.Result r = Cmd.run("server", "--config", broken.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errorLine()).startsWith("error: --config " + broken + " line 5 (key port): not valid TOML: ");

        Path wrongType = write("type.toml", sample.replace("threads = 12", "threads = \"twelve\""));
        r = Cmd.run("server", "--config", wrongType.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errorLine()).isEqualTo("error: --config " + wrongType + " line 11: threads must be a whole "
                + "number, got \"twelve\"");

        Path shortKey = write("key.toml", sample.replace("6de9439834c9147569741d3c9c9fc010", "6de94398"));
        r = Cmd.run("server", "--config", shortKey.toString());
        assertThat(r.errorLine()).isEqualTo("error: --config " + shortKey + " line 12: admin_key needs 32 hex digits, "
                + "got 8");

        Path fewPeers = write("peers.toml", sample.replace("  \"127.0.0.1:50024\",\n", ""));
        r = Cmd.run("server", "--config", fewPeers.toString());
        assertThat(r.errorLine()).isEqualTo("error: --config " + fewPeers + " line 15: raida_servers must list all 25 "
                + "RAIDA as \"host:port\" strings, got 24 entries");

        int from = sample.indexOf("raida_servers");
        Path noPeers = write("nopeers.toml", sample.substring(0, from));
        r = Cmd.run("server", "--config", noPeers.toString(), "--data-dir", store.toString());
        assertThat(r.errorLine()).isEqualTo("error: --config " + noPeers + ": synchronization_enabled = true needs "
                + "raida_servers (the 25 RAIDA as \"host:port\")");

        Path noTable = write("flat.toml", "port = 1\n");
        r = Cmd.run("server", "--config", noTable.toString());
        assertThat(r.errorLine()).isEqualTo("error: --config " + noTable + ": no [server] table (the reference's "
                + "config.toml keeps its keys under [server])");

        r = Cmd.run("server", "--config", dir.resolve("missing.toml").toString());
        assertThat(r.errorLine()).isEqualTo("error: --config " + dir.resolve("missing.toml") + ": no such file");
    }

    @Test
    void aConfigReadableByOthersIsWarnedAboutForItsAdminKey() throws Exception {
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Parsed p = parse("--config", config.toString(), "--data-dir", store.toString());
        assertThat(p.err()).contains("warning: --config " + config + " holds a secret and is readable by other users "
                + "(mode rw-r--r--); chmod 600 " + config);
    }
}
