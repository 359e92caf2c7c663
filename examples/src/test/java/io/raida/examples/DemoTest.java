package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's main job, in process: every call over UDP and TCP succeeds and the exit status is 0. */
class DemoTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void demoSucceedsWithEveryCall(String transport) {
        Run r = run("demo", "--transport", transport);
        assertThat(r.code).as(r.out).isZero();
        // 2 protocols x (echo, version) x types 0, 1, 4
        assertThat(r.out.lines().filter(l -> l.matches("\\s+(udp|tcp)\\s+.*\\s+ok\\s+.*"))).hasSize(12);
        assertThat(r.out).doesNotContain("FAIL");
        assertThat(r.out).contains("version type 4", "\"20261121\"", "STATUS_SUCCESS(250)");
        assertThat(r.out).contains(transport + " server / " + transport + " client: all 12 calls succeeded");
        assertThat(r.out).contains("demo: every call succeeded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void demoAcrossTransports(String client) {
        String server = client.equals("nio") ? "netty" : "nio";
        Run r = run("demo", "--transport", server, "--client-transport", client);
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains(server + " server / " + client + " client: all 12 calls succeeded");
    }

    @org.junit.jupiter.api.Test
    void bothRunsEachTransport() {
        Run r = run("demo", "--transport", "both", "--protocol", "udp", "--types", "0,4");
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains("nio server / nio client: all 4 calls succeeded",
                "netty server / netty client: all 4 calls succeeded");
    }

    record Run(int code, String out) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(args, ps, ps, false);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }
}
