package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's command-line reference is the commands' own usage help, verbatim. With
 * {@code -Dcli.reference.update=true} this test rewrites the section instead of failing.
 */
class CliReferenceTest {
    static final String BEGIN = "<!-- cli-reference:begin -->";
    static final String END = "<!-- cli-reference:end -->";

    /** The section: for every command, its {@code --help} as a user sees it. */
    static String reference() {
        StringBuilder sb = new StringBuilder();
        for (String path : CliTest.commandPaths()) {
            String words = path.isEmpty() ? "--help" : path + " --help";
            Cmd.Result r = Cmd.run(words.split(" "));
            assertThat(r.code()).as(words).isZero();
            sb.append("```text\n$ java -jar raida-examples.jar ").append(words).append('\n')
                    .append(r.out().replace(System.lineSeparator(), "\n").stripTrailing()).append("\n```\n\n");
        }
        return sb.toString();
    }

    @Test
    void readmeQuotesTheUsageHelpOfEveryCommand() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README.md has " + BEGIN).isPositive();
        assertThat(end).as("README.md has " + END).isGreaterThan(begin);
        String expected = "\n" + reference();
        String actual = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("cli.reference.update") && !actual.equals(expected)) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("the README's command-line reference (run CliReferenceTest with "
                + "-Dcli.reference.update=true to rewrite it)").isEqualTo(expected);
    }
}
