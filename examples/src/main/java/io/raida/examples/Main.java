package io.raida.examples;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar raida-examples.jar COMMAND [options]}: the example programs. Exit status: 0
 * success, 1 a call, the server or the simulator failed, 2 a usage error (one line naming the
 * option and what was expected).
 */
@Command(name = "raida-examples", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"The raida-java example programs: a RAIDA X server, a client and a demo of both.",
            "Run 'java -jar raida-examples.jar COMMAND --help' for a command's options."},
        footer = {"Exit status: 0 success, 1 a call or the server failed, 2 usage error.",
            "Secrets: --admin-key-file/--an-file FILE (first line, hex) or RAIDA_ADMIN_KEY/RAIDA_AN."})
public final class Main implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** What a user types before the command name. */
    static final String PROGRAM = "java -jar raida-examples.jar";
    /** The width of every usage help (the README's CLI reference is this text). */
    static final int HELP_WIDTH = 110;

    @Spec
    CommandSpec spec;
    @Mixin
    LogLevelOption logLevel;

    private Main() {
    }

    /**
     * The jar's commands, in the order of the usage help. A new command (a picocli {@code @Command}
     * object) is one more line here.
     */
    static List<Object> commands(Cli cli) {
        return List.of(
                new DemoCli(cli),
                new ServerCli(cli),
                new ClientCli(cli),
                new NetworkServerCli(cli),
                new NetworkCli(cli),
                new Cc2SimulatorCli(cli),
                new CompletionCli());
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        LogLevelOption.preset(args); // before the first logger reads the backend's configuration
        Cli cli = Cli.system();
        System.exit(run(cli, commands(cli), args));
    }

    /** Runs {@code args} with the jar's commands; tests pass {@code signals} false. */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err, boolean signals) {
        Cli cli = new Cli(out, err, System.getenv(), signals, null, x -> { });
        return run(cli, commands(cli), args);
    }

    /** Runs {@code args} against {@code commands} (each a picocli {@code @Command} object). */
    static int run(Cli cli, List<Object> commands, String... args) {
        return commandLine(cli, commands).execute(args);
    }

    /** The command line of {@code commands} under the top-level command, writing to {@code cli}'s streams. */
    static CommandLine commandLine(Cli cli, List<Object> commands) {
        CommandLine cl = new CommandLine(new Main(), factory(cli));
        for (Object c : commands) {
            cl.addSubcommand(c);
        }
        cl.addSubcommand("help", new HelpCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOut(new PrintWriter(cli.out(), true));
        cl.setErr(new PrintWriter(cli.err(), true));
        cl.setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(), e.getMessage()
                + suggestion(e)));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                return usageError(cmd, e.getMessage());
            }
            throw e;
        });
        return cl;
    }

    /**
     * Makes the command classes named in {@code @Command(subcommands = ...)}: with a {@code (Cli)}
     * constructor when they have one, so nested commands see the same streams and environment.
     */
    static CommandLine.IFactory factory(Cli cli) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    java.lang.reflect.Constructor<K> c = cls.getDeclaredConstructor(Cli.class);
                    c.setAccessible(true);
                    return c.newInstance(cli);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
    }

    /** One line naming the problem, one line saying where the options are; exit status 2. */
    static int usageError(CommandLine cmd, String message) {
        PrintWriter err = cmd.getErr();
        err.println("error: " + message);
        err.println("usage: " + PROGRAM + (cmd.getParent() == null ? "" : " " + path(cmd)) + " --help shows the "
                + "options");
        err.flush();
        return USAGE;
    }

    /** " (did you mean --data-dir?)" for a mistyped option or command, else "". */
    private static String suggestion(ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        CommandLine cmd = e.getCommandLine();
        if (!u.getUnmatched().get(0).startsWith("-") && cmd.getParent() == null) {
            return " (commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        List<String> options = u.getSuggestions().stream().filter(x -> x.startsWith("--")).limit(2).toList();
        return options.isEmpty() ? "" : " (did you mean " + String.join(" or ", options) + "?)";
    }

    private static String path(CommandLine cmd) {
        return cmd.getParent() == null || cmd.getParent().getParent() == null ? cmd.getCommandName()
                : path(cmd.getParent()) + " " + cmd.getCommandName();
    }

    /** Parses {@code words} into {@code command}'s fields without running it (the {@code parse} helpers). */
    static void parseOnly(Object command, List<String> words) throws UsageException {
        CommandLine cl = new CommandLine(command, factory(Cli.wordsOnly()));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cl.parseArgs(words.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public Integer call() {
        throw missingCommand(spec);
    }

    /** The usage error of a command group (main, network, locker) run without one of its commands. */
    static ParameterException missingCommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Runs {@code command} until it is stopped: by {@code cli}'s latch, or with signals on
     * SIGINT/SIGTERM (the main thread then closes the server, draining in-flight requests).
     */
    static int untilStopped(Cli cli, ToIntFunction<CountDownLatch> command) {
        CountDownLatch stop = cli.stop() != null ? cli.stop() : new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        if (cli.signals()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "raida-shutdown"));
        }
        try {
            return command.applyAsInt(stop);
        } finally {
            closed.countDown();
        }
    }
}
