package io.raida.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's embedding section quotes the compiled examples verbatim: if either changes without
 * the other, this fails (with the text the README should contain).
 */
class ReadmeSnippetsTest {

    @ParameterizedTest
    @CsvSource({"EmbeddedServerExample.java, embed-server", "EmbeddedClientExample.java, embed-client",
            "EmbeddedOptionsExample.java, embed-options"})
    void readmeQuotesTheCompiledSnippet(String source, String tag) throws IOException {
        Path file = Path.of("src/main/java/io/raida/examples/embed", source);
        String snippet = snippet(Files.readAllLines(file, StandardCharsets.UTF_8), tag);
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(snippet.lines().count()).isGreaterThan(5);
        assertThat(readme).as("README.md must quote " + source + " (" + tag + ") as:\n```java\n" + snippet + "```")
                .contains("```java\n" + snippet + "```");
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, common indentation removed. */
    static String snippet(List<String> lines, String tag) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.trim().equals("// end::" + tag + "[]")) {
                break;
            }
            if (in) {
                out.add(l);
            }
            if (l.trim().equals("// tag::" + tag + "[]")) {
                in = true;
            }
        }
        int indent = out.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String l : out) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString();
    }
}
