package io.raida.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.cluster.CoinFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network locker put|peek|remove} over {@code network-server --transport netty} with the Netty client. */
class NetworkLockerNettyTest {

    @Test
    void threeCoinsTravelThroughALockerOverNetty(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("net");
        try (TestNetwork net = TestNetwork.start(Map.of(), data, "--transport", "netty")) {
            String base = net.base;
            Path coins = NetworkServer.coinDir(data);
            String[] files = {coins.resolve("1.1001.bin").toString(), coins.resolve("1.1002.bin").toString(),
                coins.resolve("1.1003.bin").toString()};
            Cmd.Result put = Cmd.run(args(base, "put", "NTY-4242", "--protocol", "tcp", files[0], files[1], files[2]));
            assertThat(put.code()).as(put.toString()).isZero();
            assertThat(coins.resolve("sent").resolve("1.1002.bin")).exists();
            assertThat(coins.resolve("1.1002.bin")).doesNotExist();

            Cmd.Result peek = Cmd.run(args(base, "peek", "NTY-4242"));
            assertThat(peek.code()).as(peek.toString()).isZero();
            assertThat(peek.out()).contains("1.1001  listed by 25 of 25 RAIDA", "1.1003  listed by 25 of 25 RAIDA",
                    "3 coin(s) listed by at least 13 RAIDA");

            Path out = dir.resolve("received");
            Cmd.Result remove = Cmd.run(args(base, "remove", "NTY-4242", "--out", out.toString()));
            assertThat(remove.code()).as(remove.toString()).isZero();
            for (int sn = 1001; sn <= 1003; sn++) {
                Path f = out.resolve("1." + sn + ".bin");
                assertThat(CoinFile.read(f).coin().pown().toString()).isEqualTo("p".repeat(25));
                Cmd.Result d = Cmd.run("network", "detect", "--base-port", base, "--transport", "netty",
                        f.toString());
                assertThat(d.out()).as(d.toString()).contains(sn + "  " + "p".repeat(25) + "  authentic");
                Cmd.Result old = Cmd.run("network", "detect", "--base-port", base, "--transport", "netty",
                        coins.resolve("sent").resolve("1." + sn + ".bin").toString());
                assertThat(old.code()).as(old.toString()).isEqualTo(1);
                assertThat(old.out()).contains(sn + "  " + "f".repeat(25) + "  counterfeit");
            }
            try (java.util.stream.Stream<Path> listed = Files.list(out)) {
                assertThat(listed.count()).isEqualTo(3);
            }
        }
    }

    private static String[] args(String base, String command, String... more) {
        String[] head = {"network", "locker", command, "--base-port", base, "--transport", "netty"};
        String[] all = java.util.Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return all;
    }
}
