package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code client stats} against a running example server, over UDP and TCP, as a table and as JSON. */
class ClientStatsTest {
    private static final String KEY = "000102030405060708090a0b0c0d0e0f";

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void statsShowTheServersCounters(String protocol) throws Exception {
        try (Cmd.Background server = new Cmd.Background(Map.of("RAIDA_ADMIN_KEY", KEY), "server", "--port", "0",
                "--threads", "1", "--transport", protocol.equals("udp") ? "nio" : "netty")) {
            String port = String.valueOf(server.server().port());
            // 2 echo + 2 version over UDP, the same over TCP
            Cmd.Result calls = Cmd.run("client", "--port", port, "--types", "0,4");
            assertThat(calls.code()).as(calls.toString()).isZero();

            Map<String, String> env = Map.of("RAIDA_ADMIN_KEY", KEY);
            Cmd.Result table = Cmd.run(env, "client", "stats", "--port", port, "--protocol", protocol);
            assertThat(table.code()).as(table.toString()).isZero();
            assertThat(table.out()).startsWith("show_stats of RAIDA 0 at 127.0.0.1:" + port + " (" + protocol + ")")
                    .containsPattern("(?m)^  echo requests\\s+4$")
                    .containsPattern("(?m)^  UDP requests\\s+4$")
                    .containsPattern("(?m)^  TCP requests\\s+" + 4 + "$")
                    .containsPattern("(?m)^  status STATUS_SUCCESS\\(250\\)\\s+8$")
                    .contains("pown requests", "drops", "timeouts", "rejected connections", "active connections",
                            "handler failures");

            Cmd.Result json = Cmd.run(env, "client", "stats", "--port", port, "--protocol", protocol, "--json");
            assertThat(json.code()).as(json.toString()).isZero();
            JsonNode o = new ObjectMapper().readTree(json.out());
            assertThat(o.get("raida_id").asInt()).isZero();
            assertThat(o.get("protocol").asText()).isEqualTo(protocol);
            assertThat(o.get("echo_requests").asLong()).isEqualTo(4);
            assertThat(o.get("udp_requests").asLong()).isEqualTo(protocol.equals("udp") ? 5 : 4); // + the 1st stats
            assertThat(o.get("requests").asLong()).isEqualTo(9); // 8 calls and the first stats (not this one yet)
            assertThat(o.get("requests_by_status").get("250").asLong()).isEqualTo(9);

            Cmd.Result wrongKey = Cmd.run(Map.of("RAIDA_ADMIN_KEY", KEY.replace('0', 'f')), "client", "stats",
                    "--port", port, "--protocol", protocol);
            assertThat(wrongKey.code()).isEqualTo(1);
            assertThat(wrongKey.err()).contains("RAIDA 0 refused the admin key (ERROR_ADMIN_AUTH(38))");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aReplyDecodesByteForByte(int statuses) {
        ByteBuffer b = ByteBuffer.allocate(32 + 7 * 8 + 1 + statuses * 9);
        for (long v = 1; v <= 11; v++) {
            b.putLong(v * 1_000_000_007L);
        }
        b.put((byte) statuses);
        for (int i = 0; i < statuses; i++) {
            b.put((byte) (250 - i * 200)).putLong(77 + i);
        }
        StatsReply r = StatsReply.parse(b.array());
        assertThat(r.counters()).containsExactly(
                Map.entry("echo requests", 1_000_000_007L), Map.entry("pown requests", 2_000_000_014L),
                Map.entry("pown value", 3_000_000_021L), Map.entry("UDP requests", 4_000_000_028L),
                Map.entry("requests", 5_000_000_035L), Map.entry("TCP requests", 6_000_000_042L),
                Map.entry("drops", 7_000_000_049L), Map.entry("timeouts", 8_000_000_056L),
                Map.entry("rejected connections", 9_000_000_063L), Map.entry("active connections", 10_000_000_070L),
                Map.entry("handler failures", 11_000_000_077L));
        assertThat(r.byStatus()).hasSize(statuses);
        if (statuses == 2) {
            assertThat(r.byStatus()).containsExactly(Map.entry(250, 77L), Map.entry(50, 78L));
        }
        // the reference's 32-byte reply: the four basic counters only
        StatsReply basic = StatsReply.parse(java.util.Arrays.copyOf(b.array(), 32));
        assertThat(basic.counters()).hasSize(4).containsEntry("UDP requests", 4_000_000_028L);
        assertThat(basic.byStatus()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 88})
    void aReplyOfAnotherSizeIsRefused(int size) {
        assertThatThrownBy(() -> StatsReply.parse(new byte[size])).isInstanceOf(IllegalArgumentException.class);
    }
}
