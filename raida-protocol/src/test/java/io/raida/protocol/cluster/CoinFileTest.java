package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coin files of format 9 (auth.md §5), byte-exact. */
class CoinFileTest {

    static List<byte[]> ans(int seed) {
        List<byte[]> l = new ArrayList<>();
        for (int r = 0; r < 25; r++) {
            byte[] an = new byte[16];
            for (int i = 0; i < 16; i++) {
                an[i] = (byte) (seed * 31 + r * 16 + i);
            }
            l.add(an);
        }
        return l;
    }

    private static final PownString POWN = PownString.of("pppppfffffnnnnnbbbbbeeeeu");

    @Test
    void writesEveryFieldAtItsOffset(@TempDir Path dir) throws Exception {
        Coin coin = Coin.of(-3, 0xDEADBEEFL, ans(1), POWN);
        Path file = dir.resolve("coin.bin");
        CoinFile.of(coin).write(file);
        byte[] b = Files.readAllBytes(file);
        assertThat(b).hasSize(439);
        assertThat(b[0]).isEqualTo((byte) 0x09);                       // format
        assertThat(b[1]).isEqualTo((byte) 0x01);                       // reserved
        assertThat(Arrays.copyOfRange(b, 2, 4)).containsExactly(0x00, 0x06); // coin id
        assertThat(b[4]).isZero();                                     // experimental
        assertThat(b[5]).isZero();                                     // encryption: none
        assertThat(Arrays.copyOfRange(b, 6, 8)).containsExactly(0x00, 0x01); // one coin
        assertThat(Arrays.copyOfRange(b, 8, 15)).containsOnly(0);       // password hash
        assertThat(b[15]).isZero();                                    // flags: no PANs
        // POWN: p=A f=F n=C b=B e=E u=0, RAIDA 0 in the high nibble of byte 16, marker 9 last
        assertThat(java.util.HexFormat.of().formatHex(b, 16, 29)).isEqualTo("aaaaafffffcccccbbbbbeeee09");
        assertThat(Arrays.copyOfRange(b, 29, 32)).containsExactly(0x99, 0x99, 0x99);
        assertThat(b[32]).isZero();                                    // split
        assertThat(b[33]).isZero();                                    // shard
        assertThat(b[34]).isEqualTo((byte) -3);                        // denomination, signed
        assertThat(Arrays.copyOfRange(b, 35, 39)).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
        for (int r = 0; r < 25; r++) {
            assertThat(Arrays.copyOfRange(b, 39 + 16 * r, 55 + 16 * r)).as("AN %d", r).isEqualTo(ans(1).get(r));
        }
        assertThat(CoinFile.read(file)).isEqualTo(CoinFile.of(coin));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left
        }
    }

    @Test
    void pansFollowWithFlagBit0(@TempDir Path dir) throws Exception {
        CoinFile f = new CoinFile(Coin.of(2, 7, ans(1)), ans(2));
        byte[] b = f.toBytes();
        assertThat(b).hasSize(839);
        assertThat(b[15]).isEqualTo((byte) 1);
        for (int r = 0; r < 25; r++) {
            assertThat(Arrays.copyOfRange(b, 439 + 16 * r, 455 + 16 * r)).isEqualTo(ans(2).get(r));
        }
        assertThat(java.util.HexFormat.of().formatHex(b, 16, 29)).isEqualTo("0".repeat(25) + "9");
        Path file = dir.resolve("p.bin");
        f.write(file);
        CoinFile back = CoinFile.read(file);
        assertThat(back).isEqualTo(f);
        assertThat(back.pans().get(24)).isEqualTo(ans(2).get(24));
        assertThat(back.toString()).doesNotContain(java.util.HexFormat.of().formatHex(ans(1).get(0)));
    }

    @Test
    void refusesMalformedFilesNamingTheField() {
        byte[] good = CoinFile.of(Coin.of(1, 5, ans(3), POWN)).toBytes();
        assertRefused(new byte[0], "format", "f.bin: format: empty file");
        assertRefused(with(good, 0, 8), "format", "f.bin: format: format 8, only format 9 is supported");
        assertRefused(Arrays.copyOf(good, 438), "length", "f.bin: length: 438 bytes");
        assertRefused(with(good, 3, 7), "coin id", "f.bin: coin id: coin id 7, expected 6");
        assertRefused(with(good, 5, 1), "encryption", "f.bin: encryption");
        assertRefused(with(good, 7, 2), "coins in the file", "f.bin: coins in the file: 2 coins");
        assertRefused(with(good, 15, 1), "length", "f.bin: length: 439 bytes, state flags announce 25 PANs: 839");
        assertRefused(Arrays.copyOf(good, 500), "length", "f.bin: length: 500 bytes");
        assertRefused(with(good, 28, 0x08), "POWN string", "f.bin: POWN string: marker nibble");
        assertRefused(with(good, 16, 0x1A), "POWN string", "f.bin: POWN string: holds a 4-bit code");
        assertRefused(with(good, 30, 0x98), "bytes 29..31", "f.bin: bytes 29..31");
        // fixed fields that toBytes() would not write back (the round trip CoinFileFuzzTest checks)
        assertRefused(with(good, 1, 0), "reserved", "f.bin: reserved: byte 1 is 0, expected 1");
        assertRefused(with(good, 4, 1), "experimental", "f.bin: experimental: byte 4 is 1");
        assertRefused(with(good, 11, 0x20), "password hash", "f.bin: password hash: byte 11 is not 0");
        assertRefused(with(good, 15, 2), "state flags", "f.bin: state flags: flags 2");
        assertRefused(with(good, 32, 1), "split", "f.bin: split: byte 32 is 1");
        assertRefused(with(good, 33, 3), "shard", "f.bin: shard: byte 33 is 3");
    }

    private static byte[] with(byte[] b, int i, int v) {
        byte[] c = b.clone();
        c[i] = (byte) v;
        return c;
    }

    private static void assertRefused(byte[] bytes, String field, String messageStart) {
        assertThatThrownBy(() -> CoinFile.parse(bytes, "f.bin"))
                .isInstanceOfSatisfying(CoinFileException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(messageStart);
    }
}
