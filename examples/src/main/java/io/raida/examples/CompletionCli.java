package io.raida.examples;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: prints a bash completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        description = {"Print a bash completion script for the command 'raida-examples'.",
            "Use: alias raida-examples='java -jar /path/to/raida-examples.jar'; source <(raida-examples completion)"})
final class CompletionCli implements Callable<Integer> {
    /** The command name the script completes. */
    static final String COMMAND = "raida-examples";

    @Spec
    CommandSpec spec;
    @Mixin
    LogLevelOption logLevel;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash(COMMAND, spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
