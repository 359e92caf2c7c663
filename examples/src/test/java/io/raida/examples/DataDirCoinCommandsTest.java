package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.PageStore;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.Transport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server --data-dir} serves groups 1 and 8 from the page store. */
class DataDirCoinCommandsTest {

    @Test
    void detectAndPeekAreServedFromThePages(@TempDir Path dir) throws Exception {
        byte[] page = new byte[PageStore.PAGE_SIZE];
        Arrays.fill(page, 6 * PageStore.RECORD_SIZE, 6 * PageStore.RECORD_SIZE + 16, (byte) 0x2A);
        page[6 * PageStore.RECORD_SIZE + 16] = 1;
        try (FilePageStore store = FilePageStore.open(dir)) {
            store.writePage(2, 1, page); // coin 2:1030
        }
        ServerSettings s = ServerSettings.parse(List.of("--port", "0", "--data-dir", dir.toString(), "--raida-id", "2"));
        try (ServerCommand.Running running = ServerCommand.start(s)) {
            byte[] detect = new byte[21];
            detect[0] = 2;
            detect[3] = 0x04;
            detect[4] = 0x06;
            Arrays.fill(detect, 5, 21, (byte) 0x2A);
            ClientRequest r = RequestBuilder.command(2, 1, 10).payload(detect).build();
            assertThat(ResponseParser.parse(r, running.server().core().answer(r.frame(), Transport.TCP)).status())
                    .isEqualTo(241);
            byte[] lk = new byte[16];
            Arrays.fill(lk, 12, 16, (byte) 0xFF);
            ClientRequest peek = RequestBuilder.command(2, 8, 83).payload(lk).build();
            assertThat(ResponseParser.parse(peek, running.server().core().answer(peek.frame(), Transport.TCP)).status())
                    .isEqualTo(242);
        }
    }
}
