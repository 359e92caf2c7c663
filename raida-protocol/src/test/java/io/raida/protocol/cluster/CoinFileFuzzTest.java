package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;

/**
 * Jazzer harness for the coin-file reader (format 9, auth.md §5): any bytes parse to a
 * {@link CoinFile} or are refused with a {@link CoinFileException} naming the file and the field,
 * never anything else; a file that parses is written back byte for byte and its
 * {@code toString()} shows no AN. The seed corpus ({@code CoinFileFuzzTestInputs/roundTrip}) holds
 * files as {@link CoinFileTest} writes them (see README, "Fuzzing").
 */
class CoinFileFuzzTest {
    private static final String SOURCE = "fuzz.bin";

    @FuzzTest(maxDuration = "3m")
    void roundTrip(byte[] bytes) {
        CoinFile file;
        try {
            file = CoinFile.parse(bytes, SOURCE);
        } catch (CoinFileException refused) {
            assertThat(refused.field()).isNotBlank();
            assertThat(refused.getMessage()).startsWith(SOURCE + ": " + refused.field() + ": ");
            return;
        }
        assertThat(bytes.length).isIn(CoinFile.SIZE, CoinFile.SIZE_WITH_PANS);
        assertThat(file.toBytes()).as("written back byte for byte").isEqualTo(bytes);
        assertThat(file.hasPans()).isEqualTo(bytes.length == CoinFile.SIZE_WITH_PANS);
        String shown = file.toString();
        for (int r = 0; r < RaidaNetwork.SIZE; r++) {
            assertThat(shown).doesNotContainIgnoringCase(HexFormat.of().formatHex(file.coin().anRef(r)));
        }
    }
}
