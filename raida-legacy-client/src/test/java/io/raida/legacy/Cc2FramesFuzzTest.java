package io.raida.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer harness for the CC2 frame parser ({@link Cc2Frames}): any bytes as a request (22-byte
 * header, then the body) decode or fail with {@code MalformedRequest} and a status; the detect and
 * hash-delete payload decoders likewise; a reply header decodes and re-encodes to the same bytes.
 * Corpus: {@code Cc2FramesFuzzTestInputs/frames}, regression run in {@code mvn verify}.
 */
class Cc2FramesFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] input) {
        if (input.length >= Cc2Frames.REPLY_HEADER_SIZE) {
            Cc2Frames.ReplyHeader h = Cc2Frames.ReplyHeader.decode(input, 0);
            byte[] again = new byte[Cc2Frames.REPLY_HEADER_SIZE];
            h.encode(again, 0);
            byte[] expected = Arrays.copyOf(input, Cc2Frames.REPLY_HEADER_SIZE);
            expected[8] = 0; // reserved, always written as 0
            assertThat(again).isEqualTo(expected);
        }
        if (input.length < Cc2Frames.HEADER_SIZE) {
            return;
        }
        byte[] header = Arrays.copyOf(input, Cc2Frames.HEADER_SIZE);
        byte[] body = Arrays.copyOfRange(input, Cc2Frames.HEADER_SIZE, input.length);
        Cc2Frames.Request request;
        try {
            request = Cc2Frames.decodeRequest(header, body);
        } catch (Cc2Frames.MalformedRequest e) {
            assertThat(e.status).isBetween(1, 255);
            return;
        }
        assertThat(request.payload()).hasSize(body.length - Cc2Frames.BODY_OVERHEAD);
        try {
            assertThat(Cc2Frames.decodeDetectPayload(request.payload())).isNotEmpty();
        } catch (Cc2Frames.MalformedRequest e) {
            assertThat(e.status).isBetween(1, 255);
        }
        try {
            Cc2Frames.HashDelete d = Cc2Frames.decodeHashDeletePayload(request.payload());
            assertThat(d.an()).hasSize(16);
            assertThat(d.pg()).hasSize(16);
        } catch (Cc2Frames.MalformedRequest e) {
            assertThat(e.status).isBetween(1, 255);
        }
    }
}
