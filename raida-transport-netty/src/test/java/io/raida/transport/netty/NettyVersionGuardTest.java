package io.raida.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The provider refuses Netty older than 4.2 at load time. The 4.1 case runs in a forked JVM whose
 * class path has Netty 4.1.118's netty-transport and netty-common (copied into target/netty-4.1 by
 * the maven-dependency-plugin) instead of this module's Netty 4.2.
 */
class NettyVersionGuardTest {

    @Test
    void netty41OnTheClassPathFailsAtProviderLoadNamingTheVersion() throws Exception {
        Path netty41 = Path.of("target", "netty-4.1");
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(netty41)) {
            jars.filter(p -> p.toString().endsWith(".jar")).map(p -> p.toAbsolutePath().toString()).forEach(cp::add);
        }
        assertThat(cp).as("Netty 4.1 jars in " + netty41.toAbsolutePath()).hasSize(2)
                .anyMatch(j -> j.contains("netty-transport-4.1.118.Final"))
                .anyMatch(j -> j.contains("netty-common-4.1.118.Final"));
        cp.addAll(withoutNetty());
        Result r = fork(cp);
        assertThat(r.exit).as(r.out).isEqualTo(3);
        assertThat(r.out).contains("java.util.ServiceConfigurationError")
                .contains("java.lang.IllegalStateException: raida-java's Netty transport needs Netty 4.2 or later "
                        + "(found 4.1.118.Final)")
                .doesNotContain("NoClassDefFoundError");
    }

    @Test
    void nettyOfThisBuildLoadsInAForkedJvmToo() throws Exception {
        Result r = fork(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("loaded netty");
    }

    @Test
    void versionsBelow42AreOlder() {
        assertThat(NettyVersionGuard.olderThan42("4.1.118.Final")).isTrue();
        assertThat(NettyVersionGuard.olderThan42("3.10.6.Final")).isTrue();
        assertThat(NettyVersionGuard.olderThan42("4.2.0.Final")).isFalse();
        assertThat(NettyVersionGuard.olderThan42("4.2.17.Final")).isFalse();
        assertThat(NettyVersionGuard.olderThan42("5.0.0.Alpha2")).isFalse();
        assertThat(NettyVersionGuard.olderThan42("unknown")).isFalse();
        assertThat(NettyVersionGuard.foundVersion(getClass().getClassLoader())).startsWith("4.2.");
    }

    /** This test run's class path minus every Netty jar: the module's classes, raida-protocol, slf4j. */
    private static List<String> withoutNetty() {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!new File(e).getName().startsWith("netty-")) {
                cp.add(e);
            }
        }
        return cp;
    }

    private record Result(int exit, String out) {
    }

    private static Result fork(List<String> classPath) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classPath),
                NettyGuardProbe.class.getName()).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
