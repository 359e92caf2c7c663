package io.raida.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cc2-simulator}: a CC2 back end with the shard-2 demo coins (see {@link Cc2SimulatorCommand}). */
@Command(name = "cc2-simulator", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = "A CC2 back end on a Unix socket with the shard-2 demo coins, until SIGINT/SIGTERM.")
final class Cc2SimulatorCli implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Option(names = "--socket", paramLabel = "PATH", description = "the Unix socket to listen on (required)")
    String socket;

    Cc2SimulatorCli(Cli cli) {
        this.cli = cli;
    }

    Cc2SimulatorCommand.Settings settings() throws UsageException {
        if (socket == null || socket.isBlank()) {
            throw new UsageException("cc2-simulator needs --socket PATH (the Unix socket to listen on)");
        }
        return new Cc2SimulatorCommand.Settings(Path.of(socket.trim()));
    }

    @Override
    public Integer call() throws UsageException {
        Cc2SimulatorCommand.Settings s = settings();
        return Main.untilStopped(cli, stop -> Cc2SimulatorCommand.run(s, stop, cli.started()::accept, cli.out()));
    }
}
