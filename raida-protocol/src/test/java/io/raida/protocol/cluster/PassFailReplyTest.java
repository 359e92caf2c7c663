package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.ResponseHeader;
import io.raida.protocol.Transport;
import io.raida.protocol.client.RaidaResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the cluster client reads the 241/242/243 family and find's 208–211 (auth.md §2, healing.md §3). */
class PassFailReplyTest {

    private static RaidaOutcome replied(int status, int... payload) {
        byte[] p = new byte[payload.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) payload[i];
        }
        ResponseHeader h = ResponseHeader.legacy(0, status, 2, 0, p.length == 0 ? 0 : p.length + 2, 0, new byte[16]);
        return new RaidaOutcome(0, RaidaOutcome.Kind.STATUS, new RaidaResponse(h, p), Transport.UDP, 1,
                Duration.ZERO, "");
    }

    private static RaidaOutcome failed(RaidaOutcome.Kind kind) {
        return new RaidaOutcome(0, kind, null, Transport.UDP, 1, Duration.ZERO, "test");
    }

    @Test
    void lettersFollowTheStatusAndTheBitmapFromBitZeroOfByteZero() {
        assertThat(new String(PassFailReply.letters(replied(241), 3, 'p', 0))).isEqualTo("ppp");
        assertThat(new String(PassFailReply.letters(replied(242), 3, 'p', 0))).isEqualTo("fff");
        // coins 0 and 9 pass: 0x01 in byte 0, 0x02 in byte 1
        assertThat(new String(PassFailReply.letters(replied(243, 0x01, 0x02), 10, 'p', 0))).isEqualTo("pffffffffp");
        assertThat(new String(PassFailReply.letters(replied(243, 0, 0, 0, 0, 0x02), 3, 'T', 4))).isEqualTo("fTf");
        assertThat(new String(PassFailReply.letters(replied(243, 0x01), 2, 'p', -1))).as("243 not an answer")
                .isEqualTo("ee");
        assertThat(new String(PassFailReply.letters(replied(198), 2, 'p', 0))).isEqualTo("ee");
        assertThat(new String(PassFailReply.letters(failed(RaidaOutcome.Kind.TIMEOUT), 2, 'p', 0))).isEqualTo("nn");
        assertThat(new String(PassFailReply.letters(failed(RaidaOutcome.Kind.VERIFICATION_FAILED), 1, 'p', 0)))
                .isEqualTo("b");
    }

    @Test
    void plausibleBodiesFitTheirStatus() {
        assertThat(PassFailReply.plausible(replied(241).response(), 3, true, 0)).isTrue();
        assertThat(PassFailReply.plausible(replied(241, 1, 2, 3, 4).response(), 3, true, 4)).as("a ticket").isTrue();
        assertThat(PassFailReply.plausible(replied(241, 1).response(), 3, true, 0)).isFalse();
        assertThat(PassFailReply.plausible(replied(242, 0).response(), 3, true, 0)).isFalse();
        assertThat(PassFailReply.plausible(replied(243, 0x05).response(), 3, true, 0)).isTrue();
        assertThat(PassFailReply.plausible(replied(243, 0x05).response(), 3, false, 0)).as("sum command").isFalse();
        assertThat(PassFailReply.plausible(replied(243, 0x07).response(), 3, true, 0)).as("all set is 241").isFalse();
        assertThat(PassFailReply.plausible(replied(243, 0x00).response(), 3, true, 0)).as("none set is 242").isFalse();
        assertThat(PassFailReply.plausible(replied(243, 0x09).response(), 3, true, 0)).as("bit of coin 3").isFalse();
        assertThat(PassFailReply.plausible(replied(243, 0x05, 9, 9, 9, 9).response(), 3, true, 4)).isTrue();
        assertThat(PassFailReply.plausible(replied(243, 0x05).response(), 3, true, 4)).as("ticket missing").isFalse();
        assertThat(PassFailReply.plausible(replied(40, 1, 2, 3).response(), 3, true, 0)).isTrue();
    }

    @Test
    void findRepliesReadPerCoinAndOnlyTheHealerRequiresEmptyBodies() {
        RaidaOutcome mixed = replied(211, 1, 2, 0);
        assertThat(FindReply.match(mixed, 0)).isEqualTo(FindResult.Match.AN);
        assertThat(FindReply.match(mixed, 1)).isEqualTo(FindResult.Match.PAN);
        assertThat(FindReply.match(mixed, 2)).isEqualTo(FindResult.Match.NEITHER);
        assertThat(FindReply.match(failed(RaidaOutcome.Kind.REFUSED), 0)).isEqualTo(FindResult.Match.UNKNOWN);
        assertThat(FindReply.matches(mixed, 3)).containsExactly(FindResult.Match.AN, FindResult.Match.PAN,
                FindResult.Match.NEITHER);
        assertThat(FindReply.matches(replied(209), 2)).containsExactly(FindResult.Match.AN, FindResult.Match.AN);
        assertThat(FindReply.matches(replied(210), 2)).containsExactly(FindResult.Match.PAN, FindResult.Match.PAN);
        assertThat(FindReply.matches(replied(208), 1)).containsExactly(FindResult.Match.NEITHER);
        assertThat(FindReply.matches(replied(40), 2)).containsExactly(FindResult.Match.UNKNOWN,
                FindResult.Match.UNKNOWN);
        assertThat(FindReply.matches(failed(RaidaOutcome.Kind.TIMEOUT), 1)).containsExactly(FindResult.Match.UNKNOWN);
        assertThat(FindRound.letter(mixed, FindResult.Match.PAN)).isEqualTo('p');
        assertThat(FindRound.letter(mixed, FindResult.Match.NEITHER)).isEqualTo('f');
        assertThat(FindRound.letter(replied(40), FindResult.Match.UNKNOWN)).isEqualTo('e');
        assertThat(FindRound.letter(failed(RaidaOutcome.Kind.TIMEOUT), FindResult.Match.UNKNOWN)).isEqualTo('n');
        assertThat(FindReply.plausible(replied(208, 0).response(), 1, true)).isFalse();
        assertThat(FindReply.plausible(replied(208, 0).response(), 1, false)).isTrue();
        assertThat(FindReply.plausible(replied(211, 1, 2, 0).response(), 3, false)).isTrue();
        assertThat(FindReply.plausible(replied(211, 1, 2, -1).response(), 3, false)).isFalse();
    }
}
