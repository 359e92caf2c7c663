package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.PageStore;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server --data-dir} serves the healing commands over its page store. */
class DataDirHealingTest {
    private static final byte[] AN = HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    @Test
    void findAndGetTicketAnswerFromThePages(@TempDir Path dir) throws Exception {
        // coin 2:1030 = page 1, record 6, issued
        try (FilePageStore store = FilePageStore.open(dir)) {
            byte[] page = new byte[PageStore.PAGE_SIZE];
            System.arraycopy(AN, 0, page, 6 * PageStore.RECORD_SIZE, 16);
            page[6 * PageStore.RECORD_SIZE + 16] = 1;
            store.writePage(2, 1, page);
        }
        byte[] coin = {2, 0, 0, 0x04, 0x06};
        ServerSettings s = ServerSettings.parse(List.of("--port", "0", "--data-dir", dir.toString(), "--raida-id", "4"));
        try (ServerCommand.Running running = ServerCommand.start(s);
             RaidaClient client = RaidaTransportProvider.named("nio").newClient(ClientOptions.defaults())) {
            assertThat(running.healing()).isNotNull();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", running.port());
            byte[] find = new byte[37];
            System.arraycopy(coin, 0, find, 0, 5);
            System.arraycopy(AN, 0, find, 5, 16);
            assertThat(call(client, at, 60, find).status()).isEqualTo(209);
            byte[] ticket = new byte[21];
            System.arraycopy(coin, 0, ticket, 0, 5);
            System.arraycopy(AN, 0, ticket, 5, 16);
            RaidaResponse t = call(client, at, 40, ticket);
            assertThat(t.status()).isEqualTo(241);
            assertThat(t.payload()).hasSize(4);
            assertThat(running.healing().liveTickets()).isEqualTo(1);
        }
    }

    private static RaidaResponse call(RaidaClient c, InetSocketAddress at, int code, byte[] payload) throws Exception {
        ClientRequest r = RequestBuilder.command(4, 2, code).payload(payload).build();
        return c.send(at, r, Transport.TCP, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
}
