package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.DecoderProbe;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import java.nio.ByteBuffer;

/**
 * Jazzer harnesses for the server's frame decoding, configured like the reference capture (so the
 * seed corpus, the conformance requests, decrypts and dispatches). {@code mvn verify} replays the
 * checked-in corpus ({@code FrameDecoderFuzzTestInputs/<method>}); {@code JAZZER_FUZZ=1} fuzzes
 * (see README, "Fuzzing"). No input may make the decoder throw or answer inconsistently.
 */
class FrameDecoderFuzzTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final ServerCore CORE = ReferenceServer.create(V);
    /** A type-4 echo: leaves keys, a body buffer and an echo in a decoder that is then reused. */
    private static final byte[] PRIOR = V.get("echo_tcp_type4_den0_sn1").request();

    /** One datagram through the same path as the UDP transports. */
    @FuzzTest(maxDuration = "5m")
    void datagram(byte[] frame) {
        byte[] reply = CORE.answer(frame, Transport.UDP);
        if (reply != null) {
            assertThat(reply.length).isGreaterThanOrEqualTo(ResponseHeader.LEGACY_SIZE);
            assertThat(reply.length).isLessThanOrEqualTo(ServerCore.MAX_UDP_REPLY);
            int bodySize = Bytes.u24(reply, 9);
            assertThat(reply.length - bodySize).as("header + announced body = reply")
                    .isIn(ResponseHeader.LEGACY_SIZE, ResponseHeader.MODERN_SIZE);
        }
    }

    /**
     * A TCP stream: the first input byte picks a chunk size (1..32), the rest is the stream. Fed
     * whole and in chunks, the decoder must reach the same state, consume the same bytes and answer
     * with the same status and length.
     */
    @FuzzTest(maxDuration = "5m")
    void stream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = (input[0] & 0x1F) + 1;
        byte[] stream = java.util.Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = feed(DecoderProbe.of(CORE), stream, stream.length);
        Outcome chunked = feed(DecoderProbe.of(CORE), stream, chunk);
        assertThat(chunked).isEqualTo(whole);
    }

    /**
     * A decoder reused after a complete type-4 request (reset in between, as the transports do)
     * must answer exactly like a fresh one.
     */
    @FuzzTest(maxDuration = "5m")
    void reusedDecoder(byte[] stream) {
        DecoderProbe reused = DecoderProbe.of(CORE);
        Outcome prior = feed(reused, PRIOR, PRIOR.length);
        assertThat(prior.status()).isEqualTo(250);
        reused.complete();
        Outcome again = feed(reused, stream, stream.length);
        Outcome fresh = feed(DecoderProbe.of(CORE), stream, stream.length);
        assertThat(again).isEqualTo(fresh);
    }

    /** What a fed decoder did: state, bytes consumed and wanted, and the response's status and length. */
    private record Outcome(DecoderProbe.State state, int consumed, int wanted, int status, int responseLength) {
    }

    private static Outcome feed(DecoderProbe d, byte[] stream, int chunk) {
        d.reset(Transport.TCP, null, System.nanoTime());
        ByteBuffer src = ByteBuffer.wrap(stream);
        while (src.position() < stream.length && d.isReading()) {
            int before = src.position();
            src.limit(Math.min(stream.length, before + chunk));
            int n = d.feed(src);
            assertThat(n).isEqualTo(src.position() - before).isNotNegative();
            if (d.isReading()) {
                assertThat(src.hasRemaining()).as("a reading decoder consumes the whole chunk").isFalse();
            }
        }
        if (d.state() == DecoderProbe.State.PROCESSING) {
            d.process();
        }
        if (d.state() == DecoderProbe.State.WANT_WRITE) {
            byte[] response = d.responseCopy();
            assertThat(response[2] & 0xFF).isEqualTo(d.status());
            return new Outcome(d.state(), src.position(), d.bytesWanted(), d.status(), response.length);
        }
        assertThat(d.isReading()).as("no response means the request is still incomplete").isTrue();
        return new Outcome(d.state(), src.position(), d.bytesWanted(), -1, -1);
    }
}
