package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** POWN strings, their 4-bit codes and the grading rule of auth.md §3. */
class GradingTest {

    @Test
    void gradesByTheQuorumRule() {
        assertThat(PownString.of("p".repeat(25)).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(PownString.of("p".repeat(13) + "n".repeat(12)).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(PownString.of("p".repeat(13) + "f" + "n".repeat(11)).grade()).isEqualTo(Grade.FRACKED);
        assertThat(PownString.of("p".repeat(12) + "f" + "n".repeat(12)).grade()).isEqualTo(Grade.LIMBO);
        assertThat(PownString.of("f".repeat(13) + "p".repeat(12)).grade()).isEqualTo(Grade.COUNTERFEIT);
        assertThat(PownString.of("f".repeat(12) + "p".repeat(12) + "e").grade()).isEqualTo(Grade.LIMBO);
        assertThat(PownString.of("n".repeat(25)).grade()).isEqualTo(Grade.LIMBO);
        assertThat(PownString.of("b".repeat(12) + "p".repeat(13)).grade()).isEqualTo(Grade.AUTHENTIC);
        assertThat(Grade.FRACKED.word()).isEqualTo("fracked");
        assertThat(Grade.LIMBO.word()).isEqualTo("limbo");
    }

    @Test
    void aGradeIsDecidedOnlyWhenNoOutstandingAnswerCanChangeIt() {
        assertThat(Grade.decided(13, 0, 12)).isNull();               // could still become fracked
        assertThat(Grade.decided(13, 0, 0)).isEqualTo(Grade.AUTHENTIC);
        assertThat(Grade.decided(13, 1, 11)).isEqualTo(Grade.FRACKED);
        assertThat(Grade.decided(0, 13, 12)).isEqualTo(Grade.COUNTERFEIT);
        assertThat(Grade.decided(21, 1, 3)).isEqualTo(Grade.FRACKED);
        assertThat(Grade.decided(12, 0, 13)).isNull();
        assertThat(Grade.decided(0, 0, 25)).isNull();
        assertThat(Grade.decided(12, 12, 0)).isEqualTo(Grade.LIMBO);
        assertThat(Grade.decided(12, 12, 1)).isNull();
    }

    @Test
    void lettersAndCodesOfTheCoinFile() {
        assertThat(PownString.code('p')).isEqualTo(0xA);
        assertThat(PownString.code('f')).isEqualTo(0xF);
        assertThat(PownString.code('n')).isEqualTo(0xC);
        assertThat(PownString.code('b')).isEqualTo(0xB);
        assertThat(PownString.code('e')).isEqualTo(0xE);
        assertThat(PownString.code('u')).isEqualTo(0x0);
        assertThat(PownString.letterOf(0x3)).isEqualTo((char) 0);
        PownString s = PownString.of("pfnbeu" + "p".repeat(19));
        // RAIDA 0 high nibble of byte 0, RAIDA 1 low nibble, ..., marker 9 in the low nibble of byte 12
        assertThat(java.util.HexFormat.of().formatHex(s.toNibbles())).isEqualTo("afcbe0aaaaaaaaaaaaaaaaaaa9");
        assertThat(PownString.fromNibbles(s.toNibbles(), 0)).isEqualTo(s);
        assertThat(s.count('p')).isEqualTo(20);
        assertThat(s.with(5, 'f').letter(5)).isEqualTo('f');
        assertThat(PownString.untried().toString()).isEqualTo("u".repeat(25));
    }

    @Test
    void refusesBadLetters() {
        assertThatThrownBy(() -> PownString.of("p".repeat(24))).hasMessageContaining("25 letters, got 24");
        assertThatThrownBy(() -> PownString.of("p".repeat(24) + "x"))
                .hasMessage("POWN letter 'x' for RAIDA 24 is not one of pfnbeu");
    }
}
