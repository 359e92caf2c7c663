package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's processes at {@code --log-level trace}: no admin key and no AN, given by argument, file
 * or environment, appears anywhere in what the server or the clients print.
 */
class SecretsNotLoggedTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1 port (\\d+)");
    private static final String ADMIN_KEY = "5ec4e7ad5ec4e7ad5ec4e7ad5ec4e7ad";

    @Test
    void noSecretAppearsAtTraceLevel(@TempDir Path dir) throws Exception {
        DemoCoins.Coin coin = DemoCoins.defaultCoin();
        Path keyFile = dir.resolve("admin.key");
        Files.writeString(keyFile, ADMIN_KEY + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path anFile = dir.resolve("coin.an");
        Files.writeString(anFile, coin.anHex() + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(anFile, PosixFilePermissions.fromString("rw-------"));
        List<String> coinWords = List.of("--denomination", String.valueOf(coin.denomination()), "--serial-number",
                String.valueOf(coin.serialNumber()));

        Path serverLog = dir.resolve("server.log");
        // the server takes the admin key as an argument (warned about), the clients every other way
        Process server = start(serverLog, Map.of(), "server", "--port", "0", "--threads", "2", "--log-level",
                "trace", "--admin-key", ADMIN_KEY);
        List<String> outputs = new ArrayList<>();
        try {
            String port = String.valueOf(awaitPort(server, serverLog));
            List<String> common = List.of("--port", port, "--log-level", "trace");
            outputs.add(runClient(dir, "an-arg", Map.of(), concat(List.of("client", "--types", "1,4"), common,
                    coinWords, List.of("--an", coin.anHex()))));
            outputs.add(runClient(dir, "an-file", Map.of(), concat(List.of("client", "--types", "4"), common,
                    coinWords, List.of("--an-file", anFile.toString()))));
            outputs.add(runClient(dir, "an-env", Map.of("RAIDA_AN", coin.anHex()), concat(List.of("client", "--types",
                    "1"), common, coinWords)));
            outputs.add(runClient(dir, "key-file", Map.of(), concat(List.of("client", "stats", "--protocol", "tcp"),
                    common, List.of("--admin-key-file", keyFile.toString()))));
            outputs.add(runClient(dir, "key-env", Map.of("RAIDA_ADMIN_KEY", ADMIN_KEY), concat(List.of("client",
                    "stats"), common)));
        } finally {
            server.destroy(); // SIGTERM: the server logs its close
            server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
        String serverOut = Files.readString(serverLog, StandardCharsets.UTF_8);
        // trace really was on: the NIO server logs each TCP connection at trace
        assertThat(serverOut).contains("[TRACE]", "connection from", "closed after");
        assertThat(serverOut).contains("warning: --admin-key on the command line");
        outputs.add(serverOut);
        for (String out : outputs) {
            for (String secret : List.of(ADMIN_KEY, coin.anHex())) {
                assertThat(out.toLowerCase(Locale.ROOT)).as(out).doesNotContain(secret)
                        .doesNotContain(secret.substring(0, 12)).doesNotContain(spaced(secret));
            }
        }
    }

    /** A secret as bytes printed by Arrays.toString-like formats would not match; the hex "5e c4 e7" form would. */
    private static String spaced(String hex) {
        return hex.substring(0, 2) + " " + hex.substring(2, 4) + " " + hex.substring(4, 6);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static String runClient(Path dir, String name, Map<String, String> env, List<String> args)
            throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = start(log, env, args.toArray(String[]::new));
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(name + ":\n" + out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process start(Path log, Map<String, String> env, String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("RAIDA_AN");
        pb.environment().remove("RAIDA_ADMIN_KEY");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int awaitPort(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
}
