package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The worked new-AN examples of healing.md §2. */
class HealingKeysTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] pg00to_ff() {
        byte[] pg = new byte[16];
        for (int i = 0; i < 16; i++) {
            pg[i] = (byte) (i * 0x11);
        }
        return pg;
    }

    @Test
    void workedExampleRaida7() {
        assertThat(HEX.formatHex(HealingKeys.newAn(7, 1, 123_456, pg00to_ff())))
                .isEqualTo("98b169c6f75f4a9b8b357a384268c0c5");
    }

    @Test
    void workedExampleNegativeDenomination() {
        assertThat(HEX.formatHex(HealingKeys.newAn(7, -2, 123_456, pg00to_ff())))
                .isEqualTo("4c7d0b5573eccdc15d4a6e1b75bc9bdb");
    }

    @Test
    void observedOnTheReference() throws Exception {
        byte[] pg = new byte[16];
        for (int i = 0; i < 16; i++) {
            pg[i] = (byte) i;
        }
        byte[] in = HEX.parseHex("0001000002580001" + "02030405060708090a0b0c0d0e0f");
        assertThat(HealingKeys.newAn(0, 1, 600, pg))
                .isEqualTo(java.security.MessageDigest.getInstance("MD5").digest(in));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> HealingKeys.newAn(25, 1, 1, new byte[16])).hasMessageContaining("0..24");
        assertThatThrownBy(() -> HealingKeys.newAn(0, 7, 1, new byte[16])).hasMessageContaining("-8..6");
        assertThatThrownBy(() -> HealingKeys.newAn(0, 1, 1_024_000, new byte[16])).hasMessageContaining("serial");
        assertThatThrownBy(() -> HealingKeys.newAn(0, 1, 1, new byte[15])).hasMessageContaining("16 bytes");
    }
}
