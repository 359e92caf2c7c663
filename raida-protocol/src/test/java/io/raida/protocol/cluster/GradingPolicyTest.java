package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The grading policies of healing.md §4: 13 (auth.md §3, the default), 14 and 16 passes. */
class GradingPolicyTest {

    private static boolean[] targets(GradingPolicy p, String pown) {
        return p.targets(PownString.of(pown));
    }

    private static String marked(boolean[] t) {
        StringBuilder b = new StringBuilder();
        for (boolean x : t) {
            b.append(x ? 'x' : '.');
        }
        return b.toString();
    }

    @Test
    void theDefaultIsAuthMdSection3() {
        GradingPolicy p = GradingPolicy.standard();
        for (String s : new String[] {"p".repeat(25), "p".repeat(13) + "n".repeat(12), "p".repeat(13) + "f" + "n".repeat(11),
                "f".repeat(13) + "p".repeat(12), "n".repeat(25), "p".repeat(12) + "f" + "e".repeat(12)}) {
            PownString pown = PownString.of(s);
            assertThat(p.grade(pown)).as(s).isEqualTo(pown.grade());
        }
    }

    @Test
    void fourteenAndSixteenPasses() {
        String thirteen = "p".repeat(13) + "n".repeat(12);
        String fourteen = "p".repeat(14) + "n".repeat(11);
        String sixteen = "p".repeat(16) + "e".repeat(9);
        assertThat(GradingPolicy.minPasses(14).grade(PownString.of(thirteen))).isEqualTo(Grade.FRACKED);
        assertThat(GradingPolicy.minPasses(14).grade(PownString.of(fourteen))).isEqualTo(Grade.AUTHENTIC);
        assertThat(GradingPolicy.minPasses(16).grade(PownString.of(fourteen))).isEqualTo(Grade.FRACKED);
        assertThat(GradingPolicy.minPasses(16).grade(PownString.of(sixteen))).isEqualTo(Grade.AUTHENTIC);
        assertThat(new GradingPolicy(14, true).grade(PownString.of(sixteen))).as("an e needs healing")
                .isEqualTo(Grade.FRACKED);
        assertThat(GradingPolicy.minPasses(16).grade(PownString.of("f".repeat(13) + "p".repeat(12))))
                .isEqualTo(Grade.COUNTERFEIT);
        assertThat(GradingPolicy.minPasses(16).grade(PownString.of("p".repeat(12) + "n".repeat(13))))
                .isEqualTo(Grade.LIMBO);
        assertThatThrownBy(() -> GradingPolicy.minPasses(12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GradingPolicy.minPasses(26)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixTargetsAreTheFailsOrElseWhatDidNotPass() {
        String fracked = "pfpppppppppppppppppppnpef";
        assertThat(marked(targets(GradingPolicy.standard(), fracked))).isEqualTo(".x" + ".".repeat(22) + "x");
        String unanswered = "p".repeat(14) + "n".repeat(10) + "e";
        assertThat(marked(targets(GradingPolicy.standard(), unanswered))).isEqualTo(".".repeat(25));
        assertThat(marked(targets(GradingPolicy.minPasses(16), unanswered)))
                .isEqualTo(".".repeat(14) + "x".repeat(11));
    }
}
