package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaidaNetworkTest {

    private static List<String> lines(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add("127.0.0.1:" + (50_000 + i));
        }
        return l;
    }

    @Test
    void loopbackPutsRaidaIOnBasePortPlusI() {
        RaidaNetwork n = RaidaNetwork.loopback(40_000);
        assertThat(n.endpoints()).hasSize(25);
        for (int i = 0; i < 25; i++) {
            assertThat(n.endpoint(i).getPort()).isEqualTo(40_000 + i);
            assertThat(n.endpoint(i).getAddress().isLoopbackAddress()).isTrue();
        }
        assertThatThrownBy(() -> RaidaNetwork.loopback(65_520)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base port");
    }

    @Test
    void parsesTheListFileWithCommentsBlankLinesAndIpv6(@TempDir Path dir) throws Exception {
        List<String> l = lines(25);
        l.set(3, "[::1]:50003");
        l.set(4, "localhost:50004");
        l.add(0, "# RAIDA list");
        l.add(5, "");
        Path file = dir.resolve("raida.txt");
        Files.writeString(file, String.join("\r\n", l) + "\n");
        RaidaNetwork n = RaidaNetwork.read(file);
        assertThat(n.endpoint(0)).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50_000));
        assertThat(n.endpoint(3).getAddress().getHostAddress()).contains(":");
        assertThat(n.endpoint(3).getPort()).isEqualTo(50_003);
        assertThat(n.endpoint(4).getPort()).isEqualTo(50_004);
        assertThat(n.endpoint(24).getPort()).isEqualTo(50_024);
        assertThat(RaidaNetwork.parse(n.toListText(), "again")).isEqualTo(n);
        assertThat(n).isEqualTo(RaidaNetwork.of(n.endpoints()));
    }

    @Test
    void refusesWrongCountsWithLineNumbers() {
        assertThatThrownBy(() -> RaidaNetwork.parse(String.join("\n", lines(24)), "short.txt"))
                .isInstanceOfSatisfying(RaidaListException.class, e -> assertThat(e.lineNumber()).isZero())
                .hasMessage("short.txt: has 24 entries, a RAIDA list needs 25");
        assertThatThrownBy(() -> RaidaNetwork.parse(String.join("\n", lines(26)), "long.txt"))
                .isInstanceOfSatisfying(RaidaListException.class, e -> assertThat(e.lineNumber()).isEqualTo(26))
                .hasMessage("long.txt:26: more than 25 entries");
        assertThatThrownBy(() -> RaidaNetwork.of(List.of(new InetSocketAddress(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("25 endpoints, got 1");
    }

    @Test
    void refusesBadEntriesNamingTheLine() {
        assertBad(7, "127.0.0.1:70000", "l:8: port 70000 is outside 1..65535");
        assertBad(0, "127.0.0.1:0", "l:1: port 0 is outside 1..65535");
        assertBad(2, "127.0.0.1:http", "l:3: port \"http\" is not a number");
        assertBad(4, "127.0.0.1", "l:5: \"127.0.0.1\" is not host:port");
        assertBad(5, "::1:50000", "l:6: \"::1:50000\" is not host:port");
        assertBad(6, "[::1]50000", "l:7: \"[::1]50000\" is not [IPv6]:port");
        assertBad(9, ":50000", "l:10: \":50000\" is not host:port");
        assertBad(24, "no-such-raida.invalid:50000", "l:25: cannot resolve host \"no-such-raida.invalid\"");
    }

    private static void assertBad(int index, String line, String message) {
        List<String> l = lines(25);
        l.set(index, line);
        assertThatThrownBy(() -> RaidaNetwork.parse(String.join("\n", l), "l"))
                .isInstanceOfSatisfying(RaidaListException.class,
                        e -> assertThat(e.lineNumber()).isEqualTo(index + 1))
                .hasMessageStartingWith(message);
    }
}
