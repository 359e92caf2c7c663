package io.raida.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.ResponseHeader;
import org.junit.jupiter.api.Test;

class RaidaResponseTest {
    private static ResponseHeader header(int bodySize) {
        return ResponseHeader.legacy(0, 250, 0, 0, bodySize, 0, new byte[16]);
    }

    @Test
    void payloadIsCopiedInAndOutAndItsLengthNeedsNoCopy() {
        byte[] p = {1, 2, 3, 4, 5};
        RaidaResponse r = new RaidaResponse(header(p.length + 2), p);
        p[0] = 9;
        byte[] out = r.payload();
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
        out[1] = 9;
        assertThat(r.payload()).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.payloadLength()).isEqualTo(5);
        assertThat(new RaidaResponse(header(0), new byte[0]).payloadLength()).isZero();
    }
}
