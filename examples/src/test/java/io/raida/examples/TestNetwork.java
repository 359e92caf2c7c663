package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code network-server} (25 RAIDA in this JVM, page stores under a directory) on a random base
 * port, for the tests of the {@code network} commands; another range is tried when a port is taken.
 */
final class TestNetwork implements AutoCloseable {
    /** 25 servers with page stores start slowly on a loaded machine. */
    private static final long START_SECONDS = 300;
    final Cmd.Background server;
    final NetworkServer network;
    /** The base port, as the {@code --base-port} word. */
    final String base;

    private TestNetwork(Cmd.Background server, NetworkServer network, String base) {
        this.server = server;
        this.network = network;
        this.base = base;
    }

    /** Starts {@code network-server --data-dir dataDir} with {@code more} words, up to 5 base ports tried. */
    static TestNetwork start(Map<String, String> env, Path dataDir, String... more) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            String base = String.valueOf(ThreadLocalRandom.current().nextInt(20_000, 30_000));
            List<String> words = new ArrayList<>(List.of("network-server", "--base-port", base, "--data-dir",
                    dataDir.toString(), "--log-level", "warn"));
            words.addAll(List.of(more));
            Cmd.Background b = new Cmd.Background(env, words.toArray(String[]::new));
            if (b.started(START_SECONDS) instanceof NetworkServer n) {
                return new TestNetwork(b, n, base);
            }
            b.close(); // a port of the range was taken: try another range
        }
        throw new AssertionError("network-server did not start on 5 random base ports");
    }

    /** Stops the 25 servers; they must stop cleanly. */
    @Override
    public void close() throws Exception {
        assertThat(server.stop().code()).isZero();
    }
}
