package io.raida.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Open file descriptors of this JVM, from /proc/self/fd. */
final class TestFds {
    /** Descriptors the JVM may open on its own meanwhile (class loading, logging). */
    static final int SLACK = 10;

    private TestFds() {
    }

    static int count() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 5 s, for the simulator's side to finish closing) until at most before + SLACK are open. */
    static void assertNoLeak(int before) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int now = count();
        while (now > before + SLACK && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = count();
        }
        assertThat(now).as("open file descriptors (before: %d)", before).isLessThanOrEqualTo(before + SLACK);
    }
}
