package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import org.junit.jupiter.api.Test;

/** The worked example of lockers.md §1 and the normalisation rules. */
class LockerKeyTest {

    private static String hex(LockerKey k) {
        return Bytes.hex(k.bytes()).toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void workedExampleOfTheSpec() {
        assertThat(hex(LockerKey.fromTransmitCode("ABC-1234", 0))).isEqualTo("D21FB1D3356A62E770CA4E40FFFFFFFF");
        assertThat(hex(LockerKey.fromTransmitCode("ABC-1234", 1))).isEqualTo("F95652662CB8CC7B539F0092FFFFFFFF");
        assertThat(hex(LockerKey.fromTransmitCode("ABC-1234", 24))).isEqualTo("9043E4EB32D17260CECD2675FFFFFFFF");
        assertThat(hex(LockerKey.fromTransmitCode("abc-1234", 0))).isEqualTo("88F778C04024F52B8212E74EFFFFFFFF");
    }

    @Test
    void outerWhiteSpaceIsRemovedAndCaseIsKept() {
        assertThat(LockerKey.fromTransmitCode("  ABC-1234\t\n", 0)).isEqualTo(LockerKey.fromTransmitCode("ABC-1234", 0));
        assertThat(LockerKey.normalize(" abc-1234 ")).isEqualTo("abc-1234");
        assertThat(LockerKey.fromTransmitCode("abc-1234", 0)).isNotEqualTo(LockerKey.fromTransmitCode("ABC-1234", 0));
    }

    @Test
    void badCodesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> LockerKey.fromTransmitCode(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("   ", 0)).hasMessageContaining("empty");
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ABC 1234", 0)).hasMessageContaining("white space")
                .hasMessageNotContaining("ABC");
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ABC\u00a01234", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ÄBC-1234", 0)).hasMessageContaining("non-ASCII")
                .hasMessageNotContaining("BC-1234");
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ABC\u00011234", 0)).hasMessageContaining("control");
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ABC-1234", 25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockerKey.fromTransmitCode("ABC-1234", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysFromBytesNeedTheTailAndHideTheirValue() {
        LockerKey k = LockerKey.fromTransmitCode("ABC-1234", 3);
        assertThat(LockerKey.of(k.bytes())).isEqualTo(k).hasSameHashCodeAs(k);
        assertThat(k.toString()).doesNotContain(Bytes.hex(k.bytes()).substring(0, 8));
        byte[] b = k.bytes();
        b[15] = 0;
        assertThatThrownBy(() -> LockerKey.of(b)).hasMessageContaining("FF FF FF FF");
        assertThatThrownBy(() -> LockerKey.of(new byte[15])).hasMessageContaining("16 bytes");
        assertThat(LockerKey.hasLockerTail(k.bytes(), 0)).isTrue();
        assertThat(LockerKey.hasLockerTail(b, 0)).isFalse();
        byte[] dst = new byte[20];
        k.copyTo(dst, 4);
        assertThat(java.util.Arrays.copyOfRange(dst, 4, 20)).isEqualTo(k.bytes());
    }
}
