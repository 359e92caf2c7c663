package io.raida.examples;

import io.raida.legacy.Cc2Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The {@code cc2-simulator} subcommand: a CC2 back end ({@link Cc2Simulator}) on a Unix socket
 * holding the {@link DemoCoins#SHARD2_COINS}, for {@code server --cc2-socket} to forward shard-2
 * detects to. Runs until told to stop; closing removes the socket file.
 */
final class Cc2SimulatorCommand {
    /** @param socket where the simulator binds its Unix socket */
    record Settings(Path socket) {
    }

    private Cc2SimulatorCommand() {
    }

    /** The settings of {@code cc2-simulator} with these option words. */
    static Settings parse(List<String> words) throws UsageException {
        Cc2SimulatorCli c = new Cc2SimulatorCli(Cli.wordsOnly());
        Main.parseOnly(c, words);
        return c.settings();
    }

    /** Starts the simulator with the demo coins. */
    static Cc2Simulator start(Settings s) throws IOException {
        Cc2Simulator sim = Cc2Simulator.start(s.socket());
        for (DemoCoins.Coin c : DemoCoins.SHARD2_COINS) {
            sim.putCoin(c.serialNumber(), c.an());
        }
        return sim;
    }

    /**
     * Serves until {@code stop} opens, then closes the simulator (removing the socket file).
     * {@code started} receives the running simulator (tests use it).
     *
     * @return 0 after a clean close, 1 if the simulator could not start
     */
    static int run(Settings s, CountDownLatch stop, Consumer<Cc2Simulator> started, PrintStream out) {
        Cc2Simulator sim;
        try {
            sim = start(s);
        } catch (IOException | RuntimeException e) {
            out.println("cc2-simulator: " + e.getMessage());
            return Main.FAILED;
        }
        try (sim) {
            // the ANs are the published demo values of DemoCoins.SHARD2_COINS: printing them would
            // still teach the habit of logging ANs, so only serial numbers appear
            out.printf("CC2 simulator on %s with %d demo coins (ANs: the published demo values, "
                    + "io.raida.examples.DemoCoins.SHARD2_COINS):%n", s.socket(), sim.coinCount());
            for (DemoCoins.Coin c : DemoCoins.SHARD2_COINS) {
                out.printf("  SN %d%n", c.serialNumber());
            }
            out.println("serving until SIGINT/SIGTERM");
            out.flush();
            started.accept(sim);
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.printf("CC2 simulator stopped after %d requests; socket file %s%n", sim.requestCount(),
                java.nio.file.Files.exists(s.socket(), java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "NOT removed"
                        : "removed");
        return Main.OK;
    }
}
