package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.cluster.CoinFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network-server --transport netty} with the Netty client, and how {@code network-server} refuses bad input. */
class NetworkServerNettyTest {

    @Test
    void nettyNetworkEchoesAndPowns(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("net");
        try (TestNetwork net = TestNetwork.start(Map.of(), data, "--transport", "netty")) {
            String base = net.base;
            Cmd.Result echo = Cmd.run("network", "echo", "--base-port", base, "--transport", "netty");
            assertThat(echo.code()).as(echo.toString()).isZero();
            assertThat(echo.out()).contains("25 of 25 RAIDA answered");
            Path coin = data.resolve("coins").resolve("1.1001.bin");
            Cmd.Result pown = Cmd.run("network", "pown", "--base-port", base, "--transport", "netty",
                    coin.toString());
            assertThat(pown.code()).as(pown.toString()).isZero();
            assertThat(CoinFile.read(coin).coin().pown().toString()).isEqualTo("p".repeat(25));
            Cmd.Result again = Cmd.run("network", "detect", "--base-port", base, "--transport", "netty",
                    coin.toString());
            assertThat(again.out()).contains("1001  " + "p".repeat(25) + "  authentic");
        }
    }

    @Test
    void aDataDirThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Cmd.Result r = Cmd.run("network-server", "--base-port", "20000", "--data-dir", file.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errorLine()).contains("not a directory");
        Cmd.Result noDir = Cmd.run("network-server", "--base-port", "20000");
        assertThat(noDir.code()).as(noDir.toString()).isEqualTo(2);
        assertThat(noDir.errorLine()).contains("--data-dir");
        Cmd.Result badPort = Cmd.run("network-server", "--base-port", "65530", "--data-dir", dir.toString());
        assertThat(badPort.code()).as(badPort.toString()).isEqualTo(2);
        assertThat(badPort.errorLine()).isEqualTo("error: --base-port must be 1..65511, got 65530");
    }
}
