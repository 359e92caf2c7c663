package io.raida.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client A/B harness measures answered calls, in both modes, over real loopback sockets. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientThroughputBenchmarkTest {

    @Test
    void everyPhaseOfUdpAndTcpIsAnsweredOnNetty() throws Exception {
        List<String> lines = run("netty", "1", "1", "4", "udp,tcp");
        assertThat(lines).filteredOn(l -> l.contains("calls/s")).hasSize(4).allSatisfy(l -> {
            assertThat(l).contains("failed 0").contains("client CPU").doesNotContain(" 0 calls/s");
        });
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("UDP window 4"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("TCP sequential").contains("p50"));
    }

    @Test
    void interleavedModeRunsEachBuildInItsOwnClassLoader() throws Exception {
        String cp = String.join(File.pathSeparator, Arrays.asList(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        List<String> lines = run("--interleave", "2", "300", "nio", "1", "a=" + cp, "b=" + cp);
        assertThat(lines).filteredOn(l -> l.contains("calls/s")).hasSize(2).allSatisfy(l ->
                assertThat(l).contains("failed 0").doesNotContain(" 0 calls/s"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("a "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("b "));
    }

    private static List<String> run(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ClientThroughputBenchmark.main(args);
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        return text.lines().toList();
    }
}
