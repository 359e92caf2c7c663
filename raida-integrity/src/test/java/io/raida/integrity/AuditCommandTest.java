package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.ServerOptions;
import io.raida.transport.nio.NioRaidaClient;
import io.raida.transport.nio.NioRaidaServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** audit (0/3): 15 × den(1) ‖ count(u32) over the page store (D-19), kept current as pages are written. */
class AuditCommandTest {
    private final InMemoryPageStore store = new InMemoryPageStore();
    private final ServerCore core = ServerCore.builder().raidaId(7).coinId(6).build();
    private IntegrityNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    private void start() {
        store.writePage(0, 5, TestPages.issued(1, 2, 3));
        store.writePage(-8, 999, TestPages.issued(2, 0, 1023, 500));
        store.writePage(6, 0, TestPages.unissued(3));
        node = IntegrityNode.builder().pageStore(store).raidaId(7).build().install(core).start();
    }

    private RaidaResponse audit() {
        ClientRequest r = CoinAudit.request(7, 6);
        return ResponseParser.parse(r, core.answer(r.frame(), Transport.TCP));
    }

    @Test
    void theReplyIsFifteenRecordsOfDenominationAndCountBigEndian() {
        start();
        RaidaResponse r = audit();
        assertThat(r.status()).isEqualTo(250);
        byte[] p = r.payload();
        assertThat(p).hasSize(75);
        for (int i = 0; i < 15; i++) {
            assertThat((int) p[i * 5]).as("record %d", i).isEqualTo(i - 8);
        }
        byte[] expected = new byte[75];
        for (int i = 0; i < 15; i++) {
            expected[i * 5] = (byte) (i - 8);
        }
        Bytes.putU32(expected, 0 * 5 + 1, 3);   // den -8: records 0, 500, 1023 of page 999
        Bytes.putU32(expected, 8 * 5 + 1, 2);   // den 0: records 2 and 3 of page 5
        assertThat(p).isEqualTo(expected);
        CoinAudit a = CoinAudit.decode(p);
        assertThat(a.count(-8)).isEqualTo(3);
        assertThat(a.count(0)).isEqualTo(2);
        assertThat(a.count(6)).isZero();
        assertThat(a.total()).isEqualTo(5);
        assertThat(a.encode()).isEqualTo(p);
    }

    @Test
    void aWrittenPageIsCountedAgain() {
        start();
        assertThat(CoinAudit.decode(audit().payload()).count(0)).isEqualTo(2);
        store.writePage(0, 5, TestPages.issued(1, 2, 3, 4, 5));
        store.writePage(0, 6, TestPages.issued(1, 7));
        assertThat(CoinAudit.decode(audit().payload()).count(0)).isEqualTo(5);
        assertThat(CoinAudit.decode(audit().payload()).total()).isEqualTo(8);
    }

    @Test
    void encodeDecodeRoundTripAndTheReferenceLayoutIsRefused() {
        long[] counts = new long[15];
        for (int i = 0; i < 15; i++) {
            counts[i] = i == 14 ? 0xFFFF_FFFFL : i * 1_000_003L;
        }
        CoinAudit a = new CoinAudit(counts);
        assertThat(CoinAudit.decode(a.encode())).isEqualTo(a);
        assertThatThrownBy(() -> CoinAudit.decode(new byte[74])).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("74").hasMessageContaining("reference");
        byte[] wrongOrder = a.encode();
        wrongOrder[5] = 3;
        assertThatThrownBy(() -> CoinAudit.decode(wrongOrder)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("denomination");
    }

    @Test
    void theClientCallFetchesTheAuditOverBothTransports() throws Exception {
        start();
        try (RaidaServer server = NioRaidaServer.create(core, ServerOptions.builder().host("127.0.0.1").port(0).build());
             RaidaClient client = NioRaidaClient.create(ClientOptions.defaults())) {
            server.start();
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            for (Transport t : Transport.values()) {
                CoinAudit a = CoinAudit.fetch(client, at, 7, 6, t, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
                assertThat(a.count(-8)).as("%s", t).isEqualTo(3);
                assertThat(a.total()).isEqualTo(5);
            }
        }
    }
}
