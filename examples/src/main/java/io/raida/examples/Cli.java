package io.raida.examples;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Where a command line runs: its output streams, its environment (secrets may come from it), and how
 * long-running commands stop.
 *
 * @param out     normal output
 * @param err     warnings and errors
 * @param env     the environment variables (RAIDA_ADMIN_KEY, RAIDA_AN)
 * @param signals true to let SIGINT/SIGTERM stop {@code server} and {@code cc2-simulator} (shutdown hook)
 * @param stop    opened to stop a long-running command; null: a new latch per command (signals only)
 * @param started receives a long-running command's running server or simulator (tests read its port)
 */
record Cli(PrintStream out, PrintStream err, Map<String, String> env, boolean signals, CountDownLatch stop,
           Consumer<Object> started) {

    /** The real process: System.out/err, the process environment, stopped by signals. */
    static Cli system() {
        return new Cli(System.out, System.err, System.getenv(), true, null, x -> { });
    }

    /** No environment and no signals: only the words parse into settings (the {@code parse} helpers). */
    static Cli wordsOnly() {
        return new Cli(System.out, System.err, Map.of(), false, null, x -> { });
    }

    /** This context with {@code stop} as the latch that ends long-running commands. */
    Cli stoppedBy(CountDownLatch latch, Consumer<Object> onStart) {
        return new Cli(out, err, env, signals, latch, onStart);
    }
}
