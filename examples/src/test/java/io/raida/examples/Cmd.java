package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The jar's command line run in process as a user types it: words in, exit status and both streams out. */
final class Cmd {
    private Cmd() {
    }

    /** What a finished command printed and returned. */
    record Result(int code, String out, String err) {
        /** The first "error: " line of standard error (notes and warnings may come before it). */
        String errorLine() {
            return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs a command that ends by itself. */
    static Result run(Map<String, String> env, String... args) {
        Streams s = new Streams();
        int code = Main.run(s.cli(env, null, x -> { }), Main.commands(s.cli(env, null, x -> { })), args);
        return s.result(code);
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    /** A long-running command (server, cc2-simulator) started in the background. */
    static final class Background implements AutoCloseable {
        private final Streams streams = new Streams();
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CompletableFuture<Object> started = new CompletableFuture<>();
        private final CompletableFuture<Integer> exit;

        Background(Map<String, String> env, String... args) {
            Cli cli = streams.cli(env, stop, started::complete);
            exit = CompletableFuture.supplyAsync(() -> Main.run(cli, Main.commands(cli), args));
            exit.whenComplete((code, e) -> started.complete(null));
        }

        /** The running server, or fails with what the command printed if it ended instead. */
        ServerCommand.Running server() throws Exception {
            Object o = started.get(30, TimeUnit.SECONDS);
            assertThat(o).as(() -> "did not start:\n" + streams.result(exit.getNow(-1))).isNotNull();
            return (ServerCommand.Running) o;
        }

        /** What the command passed to {@code Cli.started} (null if it ended instead); waits up to 60 s. */
        Object started() throws Exception {
            return started.get(60, TimeUnit.SECONDS);
        }

        /** As {@link #started()}, waiting up to {@code seconds} (25 servers start slowly on a loaded machine). */
        Object started(long seconds) throws Exception {
            return started.get(seconds, TimeUnit.SECONDS);
        }

        /** What the command printed so far, with {@code code} as the exit status. */
        Result output(int code) {
            return streams.result(code);
        }

        /** Stops the command and returns what it printed. */
        Result stop() throws Exception {
            stop.countDown();
            return streams.result(exit.get(30, TimeUnit.SECONDS));
        }

        @Override
        public void close() throws Exception {
            if (!exit.isDone()) {
                stop();
            }
        }
    }

    private static final class Streams {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        Cli cli(Map<String, String> env, CountDownLatch stop, java.util.function.Consumer<Object> started) {
            return new Cli(o, e, env, false, stop, started);
        }

        Result result(int code) {
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
