package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.PageStore;
import io.raida.protocol.CommandGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server --data-dir}: keys are the ANs in the page store, and the integrity service is installed. */
class DataDirServerTest {
    private static final String AN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void keysComeFromThePagesAndIntegrityCommandsAreServed(@TempDir Path dir) throws Exception {
        // coin 2:1030 = page 1, record 6, issued (MFS byte non-zero)
        try (FilePageStore store = FilePageStore.open(dir)) {
            byte[] page = new byte[PageStore.PAGE_SIZE];
            System.arraycopy(HexFormat.of().parseHex(AN), 0, page, 6 * PageStore.RECORD_SIZE, 16);
            page[6 * PageStore.RECORD_SIZE + 16] = 1;
            store.writePage(2, 1, page);
        }
        ServerSettings s = ServerSettings.parse(List.of("--port", "0", "--data-dir", dir.toString(), "--raida-id", "2",
                "--sync-interval", "600"));
        try (ServerCommand.Running running = ServerCommand.start(s)) {
            assertThat(running.integrity()).isNotNull();
            assertThat(running.server().core().registry().lookup(CommandGroup.INTEGRITY.code(), 2)).isNotNull();
            DemoTest.Run r = DemoTest.run("client", "--port", String.valueOf(running.port()), "--raida-id", "2",
                    "--denomination", "2", "--serial-number", "1030", "--an", AN);
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("client: all 12 calls succeeded");

            // the demo coins are not in this store
            DemoTest.Run demo = DemoTest.run("client", "--port", String.valueOf(running.port()), "--raida-id", "2",
                    "--types", "4", "--protocol", "udp");
            assertThat(demo.code()).as(demo.out()).isEqualTo(1);
        }
        assertThat(Files.isDirectory(dir.resolve("Data"))).isTrue();
    }
}
