package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bulkhead section of show_stats (payload byte 16 = 2), byte for byte. */
class BulkheadSectionTest {
    private static final ReferenceVectors V = ReferenceVectors.load();

    private static byte[] showStats(ServerCore c, int level) {
        byte[] payload = Arrays.copyOf(V.adminKey(), 17);
        payload[16] = (byte) level;
        ClientRequest req = RequestBuilder.command(0, 0, 2).payload(payload).build();
        return ResponseParser.parse(req, c.answer(req.frame(), Transport.TCP)).require().payload();
    }

    @Test
    void theSectionLayoutIsByteExact() {
        ServerStats stats = ServerCore.builder().build().stats();
        BulkheadStats cc2 = stats.bulkhead("cc2", 2);
        cc2.queuedAdd(3);
        cc2.runningAdd(2);
        cc2.recordExpired();
        cc2.recordOverran();
        cc2.recordOverran();
        for (int i = 0; i < 5; i++) {
            cc2.recordRefused();
        }
        stats.bulkhead("local", 8).recordRefused();
        CircuitBreaker breaker = new CircuitBreaker("cc2 b", 1, Duration.ofMinutes(1), 1, (n, from, to) -> { });
        breaker.onFailure(); // opens at the first failure
        breaker.tryAcquire(); // refused while open
        stats.showBreaker(breaker);

        byte[] s = BulkheadSection.encode(stats);

        String cc2Entry = "03" + "636332" + "0002" + "00000003" + "00000002"
                + "0000000000000001" + "0000000000000002" + "0000000000000005";
        String localEntry = "05" + "6c6f63616c" + "0008" + "00000000" + "00000000"
                + "0000000000000000" + "0000000000000000" + "0000000000000001";
        String breakerEntry = "05" + "6363322062" + "01" + "0000000000000001" + "0000000000000001";
        String content = "02" + cc2Entry + localEntry + "01" + breakerEntry;
        assertThat(Bytes.hex(s, 0, s.length)).isEqualTo("01" + String.format("%04x", content.length() / 2) + content);
        assertThat(s.length).isEqualTo(3 + 1 + (1 + 3 + 34) + (1 + 5 + 34) + 1 + (1 + 5 + 17));
    }

    @Test
    void anEmptySectionStillCarriesVersionLengthAndBothCounts() {
        byte[] s = BulkheadSection.encode(ServerCore.builder().build().stats());
        assertThat(Bytes.hex(s, 0, s.length)).isEqualTo("01" + "0002" + "00" + "00");
    }

    @Test
    void longNamesAreCutTo64Bytes() {
        ServerStats stats = ServerCore.builder().build().stats();
        stats.bulkhead("x".repeat(100), 1);
        byte[] s = BulkheadSection.encode(stats);
        assertThat(s[4] & 0xFF).isEqualTo(64);
        assertThat(s.length).isEqualTo(3 + 1 + 1 + 64 + 34 + 1);
    }

    @Test
    void showStatsLevel2AppendsTheSectionAfterTheExtendedBlockAndLevel1IsUnchanged() {
        ServerCore c = ReferenceServer.create(V);
        c.stats().bulkhead("sleepy", 1).recordOverran();
        byte[] level1 = showStats(c, 1);
        byte[] level2 = showStats(c, 2);
        byte[] level1Again = showStats(c, 1);
        assertThat(level1).hasSize(32 + 7 * 8 + 1); // nothing answered yet: no statuses
        byte[] section = BulkheadSection.encode(c.stats());
        assertThat(level2).hasSize(32 + 7 * 8 + 1 + 9 + section.length);
        assertThat(Arrays.copyOfRange(level2, level2.length - section.length, level2.length)).isEqualTo(section);
        assertThat(level1Again).as("level 1 stays the extended block alone").hasSize(32 + 7 * 8 + 1 + 9);
        assertThat(showStats(c, 3)).as("an unknown level: the reference's 32 bytes").hasSize(32);
    }
}
