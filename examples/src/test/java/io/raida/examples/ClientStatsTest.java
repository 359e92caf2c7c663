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
                            "handler failures")
                    // the bulkhead section (payload byte 16 = 2), decoded from the server's encoding
                    .containsPattern("(?m)^  bulkhead local\\s+threads \\d+, queued 0, running 0, expired 0, "
                            + "overran 0, refused 0$");

            Cmd.Result json = Cmd.run(env, "client", "stats", "--port", port, "--protocol", protocol, "--json");
            assertThat(json.code()).as(json.toString()).isZero();
            JsonNode o = new ObjectMapper().readTree(json.out());
            assertThat(o.get("raida_id").asInt()).isZero();
            assertThat(o.get("protocol").asText()).isEqualTo(protocol);
            assertThat(o.get("echo_requests").asLong()).isEqualTo(4);
            assertThat(o.get("udp_requests").asLong()).isEqualTo(protocol.equals("udp") ? 5 : 4); // + the 1st stats
            assertThat(o.get("requests").asLong()).isEqualTo(9); // 8 calls and the first stats (not this one yet)
            assertThat(o.get("requests_by_status").get("250").asLong()).isEqualTo(9);
            assertThat(o.get("bulkheads").get(0).get("name").asText()).isEqualTo("local");
            assertThat(o.get("bulkheads").get(0).get("refused_at_admission").asLong()).isZero();
            assertThat(o.get("breakers")).isEmpty();

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

    /** The same bytes as the server's byte-exact test ({@code BulkheadSectionTest}), after an extended block. */
    @org.junit.jupiter.api.Test
    void theBulkheadSectionDecodesByteForByte() {
        String cc2 = "03" + "636332" + "0002" + "00000003" + "00000002"
                + "0000000000000001" + "0000000000000002" + "0000000000000005";
        String local = "05" + "6c6f63616c" + "0008" + "00000000" + "00000000"
                + "0000000000000000" + "0000000000000000" + "0000000000000001";
        String breaker = "05" + "6363322062" + "01" + "0000000000000001" + "0000000000000001";
        String content = "02" + cc2 + local + "01" + breaker;
        String section = "01" + String.format("%04x", content.length() / 2) + content;
        byte[] extended = new byte[32 + 7 * 8 + 1];
        byte[] reply = java.util.Arrays.copyOf(extended, extended.length + section.length() / 2);
        byte[] sectionBytes = java.util.HexFormat.of().parseHex(section);
        System.arraycopy(sectionBytes, 0, reply, extended.length, sectionBytes.length);

        BulkheadReport r = StatsReply.parse(reply).bulkheads();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.bulkheads()).containsExactly(new BulkheadReport.Bulkhead("cc2", 2, 3, 2, 1, 2, 5),
                new BulkheadReport.Bulkhead("local", 8, 0, 0, 0, 0, 1));
        assertThat(r.breakers()).containsExactly(new BulkheadReport.Breaker("cc2 b", "open", 1, 1));
        assertThat(r.table()).contains("  bulkhead cc2", "threads 2, queued 3, running 2, expired 1, overran 2, refused 5",
                "  breaker cc2 b", "open, rejected 1, opened 1 times");
        assertThat(StatsReply.parse(extended).bulkheads()).as("a level-1 reply has no section").isNull();

        // a later version is skipped whole; a length that does not match, or an entry cut short, is refused
        byte[] future = java.util.Arrays.copyOf(extended, extended.length + 5);
        future[extended.length] = 2;
        future[extended.length + 2] = 2;
        assertThat(StatsReply.parse(future).bulkheads().bulkheads()).isEmpty();
        byte[] wrongLength = reply.clone();
        wrongLength[extended.length + 2]++;
        assertThatThrownBy(() -> StatsReply.parse(wrongLength)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bulkhead section says");
        byte[] cut = java.util.Arrays.copyOf(reply, reply.length - 3);
        cut[extended.length + 2] -= 3;
        assertThatThrownBy(() -> StatsReply.parse(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends inside an entry");
    }
}
