package io.raida.examples.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers and clients of both transports, the CC2 client and the failure paths run at TRACE in a
 * child JVM; no AN, locker key or admin key it used appears in anything it printed, in hex (either
 * case), in Base64, or as Java's {@code Arrays.toString} of the bytes.
 */
class SecretsNeverLoggedTest {
    @Test
    void noSecretAppearsInTraceOutput(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path log = dir.resolve("trace.log");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-Dio.netty.leakDetection.level=disabled",
                SecretTraffic.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).contains("TRAFFIC DONE");
        int at = out.lastIndexOf("SECRETS:\n");
        String logged = out.substring(0, at);
        List<String> secrets = out.substring(at + "SECRETS:\n".length()).lines().limit(6).toList();
        assertThat(secrets).hasSize(6);
        assertThat(logged.lines().filter(l -> l.contains("TRACE") || l.contains("DEBUG")).count())
                .as("the child really logged at TRACE/DEBUG").isPositive();
        for (String hex : secrets) {
            byte[] b = HexFormat.of().parseHex(hex);
            assertThat(logged).doesNotContain(hex).doesNotContain(hex.toUpperCase(Locale.ROOT))
                    .doesNotContain(hex.substring(0, 16)).doesNotContain(hex.substring(16))
                    .doesNotContain(Base64.getEncoder().encodeToString(b))
                    .doesNotContain(Arrays.toString(b));
        }
    }
}
