package io.raida.examples;

import io.raida.protocol.cluster.RaidaCluster;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live progress line on standard error while a {@code network} command waits, only when the
 * program runs on a terminal ({@code System.console() != null}): scripts and pipes see nothing.
 */
final class Progress implements AutoCloseable {
    private static final long PERIOD_MS = 200;
    private final Cli cli;
    private final ScheduledExecutorService ticker;

    private Progress(Cli cli, ScheduledExecutorService ticker) {
        this.cli = cli;
        this.ticker = ticker;
    }

    /** Starts the line for {@code what} (nothing when not on a terminal). */
    static Progress start(Cli cli, String what, RaidaCluster cluster) {
        if (System.console() == null) {
            return new Progress(cli, null);
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "raida-progress");
            th.setDaemon(true);
            return th;
        });
        long start = System.nanoTime();
        t.scheduleAtFixedRate(() -> {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            cli.err().print("\r" + what + ": " + ms + " ms, " + cluster.inFlight() + " request(s) in flight   ");
            cli.err().flush();
        }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        return new Progress(cli, t);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cli.err().print("\r" + " ".repeat(72) + "\r");
            cli.err().flush();
        }
    }
}
